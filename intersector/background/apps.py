from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "intersector.background"
    verbose_name = "Background work"
