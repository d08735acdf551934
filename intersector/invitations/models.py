"""Invitations to a collaboration, and the audit log of who changed its membership.

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


class AuditEvent(models.Model):
    """One change to a collaboration's membership: who did what to whom, and when."""

    class Action(models.TextChoices):
        MEMBER_ADDED = "member_added", _("added a member")
        ROLE_CHANGED = "role_changed", _("changed a role")
        MEMBER_REMOVED = "member_removed", _("removed a member")
        INVITED = "invited", _("invited")
        INVITATION_RESENT = "invitation_resent", _("resent an invitation")
        INVITATION_REVOKED = "invitation_revoked", _("revoked an invitation")
        INVITATION_ACCEPTED = "invitation_accepted", _("accepted an invitation")

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="audit_events"
    )
    action = models.CharField(max_length=32, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Names are copied, so the log still reads right after people or accounts are deleted.
    actor_name = models.CharField(max_length=255)
    subject_email = models.EmailField(_("on whom"))
    detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.get_action_display()} {self.subject_email}"
