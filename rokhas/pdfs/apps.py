from django.apps import AppConfig


class PdfsConfig(AppConfig):
    name = "rokhas.pdfs"
    label = "pdfs"
