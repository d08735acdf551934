from django.apps import AppConfig


class CollaborationsConfig(AppConfig):
    name = "intersector.collaborations"
    label = "collaborations"
    verbose_name = "Collaborations"
