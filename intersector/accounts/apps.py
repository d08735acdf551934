from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "intersector.accounts"
    label = "accounts"
    verbose_name = "Accounts"
