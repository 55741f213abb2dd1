from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "rokhas.catalogue"
    label = "catalogue"
