from django.apps import AppConfig


class ImplementConfig(AppConfig):
    name = "implement"
    verbose_name = "Implement"
