from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "rokhas.audit"
    label = "audit"
