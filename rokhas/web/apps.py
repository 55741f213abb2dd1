from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "rokhas.web"
    label = "web"
