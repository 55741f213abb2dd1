from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "rokhas.review"
    label = "review"
