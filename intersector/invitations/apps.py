from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    name = "intersector.invitations"
    label = "invitations"
    verbose_name = "Invitations"
