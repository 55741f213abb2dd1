from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "rokhas.territory"
    label = "territory"
