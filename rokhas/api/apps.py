from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "rokhas.api"
    label = "api"
