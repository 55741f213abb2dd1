from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "rokhas.dossiers"
    label = "dossiers"
