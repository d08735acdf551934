"""Invitations: create, send, resend, revoke, accept. Every change is written to the log."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from intersector.collaborations.audit import Action, audit_record
from intersector.collaborations.models import Collaboration, Membership, Partner, Role

from .emails import send_templated_email
from .events import invitation_notify
from .models import Invitation, new_key
from .tokens import ExpiredToken, InvalidToken, key_from_token, make_token

User = get_user_model()


def invitation_url(*, invitation: Invitation, site_url: str) -> str:
    path = reverse("invitations:accept", kwargs={"token": make_token(invitation.key)})
    return site_url.rstrip("/") + path


def _send(*, invitation: Invitation, site_url: str) -> None:
    send_templated_email(
        name="invitation",
        to=invitation.email,
        context={
            "invitation": invitation,
            "collaboration": invitation.collaboration,
            "inviter": invitation.invited_by,
            "accept_url": invitation_url(invitation=invitation, site_url=site_url),
            "role": invitation.get_role_display(),
        },
    )


def _describe(role: str, partner: Partner | None) -> str:
    label = str(Role(role).label)
    return f"{label} · {partner.name}" if partner else label


@transaction.atomic
def invitation_create(
    *,
    collaboration: Collaboration,
    email: str,
    role: str,
    partner: Partner | None,
    by,
    site_url: str,
) -> Invitation:
    email = email.strip().lower()
    if Membership.objects.filter(collaboration=collaboration, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    if collaboration.invitations.pending().filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("This person has already been invited: resend that invitation instead.")}
        )
    invitation = Invitation.objects.create(
        collaboration=collaboration,
        email=email,
        role=role,
        partner=partner,
        invited_by=by,
        sent_at=timezone.now(),
    )
    audit_record(
        collaboration=collaboration,
        action=Action.INVITED,
        actor=by,
        subject_email=email,
        detail=_describe(role, partner),
    )
    _tell_in_the_app(invitation=invitation, by=by)
    transaction.on_commit(lambda: _send(invitation=invitation, site_url=site_url))
    return invitation


def _tell_in_the_app(*, invitation: Invitation, by) -> None:
    path = reverse("invitations:accept", kwargs={"token": make_token(invitation.key)})
    invitation_notify(invitation=invitation, by=by, accept_url=path)


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by, site_url: str) -> Invitation:
    """Send a fresh link; the previous link stops working."""
    if not invitation.is_pending:
        raise ValidationError(_("This invitation is no longer pending."))
    invitation.key = new_key()
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["key", "sent_at"])
    audit_record(
        collaboration=invitation.collaboration,
        action=Action.INVITATION_RESENT,
        actor=by,
        subject_email=invitation.email,
    )
    _tell_in_the_app(invitation=invitation, by=by)
    transaction.on_commit(lambda: _send(invitation=invitation, site_url=site_url))
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by) -> Invitation:
    if not invitation.is_pending:
        raise ValidationError(_("This invitation is no longer pending."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        collaboration=invitation.collaboration,
        action=Action.INVITATION_REVOKED,
        actor=by,
        subject_email=invitation.email,
    )
    return invitation


@dataclass(frozen=True)
class Lookup:
    invitation: Invitation | None
    problem: str | None  # None, "invalid", "expired", "used"


def invitation_lookup(token: str) -> Lookup:
    """Find the pending invitation a link points to, or say why the link cannot be used."""
    try:
        key = key_from_token(token)
    except ExpiredToken:
        return Lookup(None, "expired")
    except InvalidToken:
        return Lookup(None, "invalid")
    invitation = (
        Invitation.objects.select_related("collaboration", "partner", "invited_by")
        .filter(key=key)
        .first()
    )
    if invitation is None:
        return Lookup(None, "used")  # resent since: a newer link exists
    if not invitation.is_pending:
        return Lookup(invitation, "used")
    return Lookup(invitation, None)


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Make ``user`` a member as the invitation says; the link cannot be used again."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError(_("This invitation has already been used or was withdrawn."))
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(_("This invitation was sent to another e-mail address."))
    membership, created = Membership.objects.get_or_create(
        user=user,
        collaboration=invitation.collaboration,
        defaults={"role": invitation.role, "partner": invitation.partner},
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        collaboration=invitation.collaboration,
        action=Action.INVITATION_ACCEPTED,
        actor=user,
        subject_email=user.email,
        detail=_describe(membership.role, membership.partner),
    )
    return membership


@transaction.atomic
def account_create_from_invitation(*, invitation: Invitation, full_name: str, password: str):
    """Create the invited person's account and accept the invitation with it."""
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(_("An account already uses this e-mail address: sign in instead."))
    user = User.objects.create_user(email=invitation.email, password=password, full_name=full_name)
    invitation_accept(invitation=invitation, user=user)
    return user
