from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "rokhas.notifications"
    label = "notifications"
