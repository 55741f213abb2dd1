from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "rokhas.demo"
    label = "demo"
