from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "rokhas.documents"
    label = "documents"
