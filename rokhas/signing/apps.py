from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "rokhas.signing"
    label = "signing"
