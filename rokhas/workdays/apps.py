from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "rokhas.workdays"
    label = "workdays"
