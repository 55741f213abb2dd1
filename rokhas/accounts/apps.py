from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rokhas.accounts"
    label = "accounts"
