"""Invitations to a collaboration.

An invitation carries a random ``key``; the link in the e-mail holds that key signed with a
timestamp (``tokens.py``), so a link is refused once it is older than
``INVITATION_MAX_AGE_DAYS``, once the invitation was accepted or revoked, and once it was
resent (resending draws a new key).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from intersector.collaborations.models import Collaboration, Partner, Role
from intersector.notifications.models import EmailDelivery


def new_key() -> str:
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("speaks for"),
        help_text=_("The partner organisation this person will speak for."),
    )
    key = models.CharField(max_length=64, unique=True, default=new_key, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Made by a person's JSON import when the file names the invitee as an author: it
    # holds their records until they accept, then the accepting account takes them over.
    stand_in = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The e-mail carrying the current link (each send, first or again, is a new delivery,
    # sent by the worker and retried while the mail server fails).
    delivery = models.ForeignKey(
        EmailDelivery, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_pending_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.collaboration}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    @property
    def email_status(self) -> str:
        """ "sending", "retrying" (the mail server failed, another attempt is due), "failed"
        (no attempt left: send it again) or "sent"."""
        delivery = self.delivery
        if delivery is None or delivery.status == EmailDelivery.Status.DROPPED:
            return "sent"  # sent before deliveries were recorded
        if delivery.status == EmailDelivery.Status.SENDING:
            return "sending"
        if delivery.status == EmailDelivery.Status.PENDING:
            return "retrying" if delivery.last_error else "sending"
        return "failed" if delivery.status == EmailDelivery.Status.FAILED else "sent"
