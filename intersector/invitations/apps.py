from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    name = "intersector.invitations"
    label = "invitations"
    verbose_name = "Invitations"

    def ready(self):
        from . import services  # noqa: F401 — registers the invitation e-mail's builder
