from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "rokhas.decisions"
    label = "decisions"
