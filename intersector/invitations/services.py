"""Invitations: create, send, resend, revoke, accept. Every change is written to the log."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from intersector.accounts.services import user_take_over
from intersector.collaborations.audit import Action, audit_record
from intersector.collaborations.models import Collaboration, Membership, Partner, Role
from intersector.notifications.emails import templated_email
from intersector.notifications.services import email_delivery_queue, register_message_builder

from .events import invitation_notify
from .models import Invitation, new_key
from .tokens import ExpiredToken, InvalidToken, key_from_token, make_token

User = get_user_model()


def invitation_url(*, invitation: Invitation, site_url: str | None = None) -> str:
    path = reverse("invitations:accept", kwargs={"token": make_token(invitation.key)})
    return (site_url or settings.SITE_URL).rstrip("/") + path


def _queue_email(invitation: Invitation) -> None:
    """The invitation's e-mail, sent by the worker after the commit and retried while the
    mail server fails; the page answers at once either way. One delivery per link."""
    stamp = invitation.sent_at.strftime("%Y%m%dT%H%M%S.%f")
    delivery = email_delivery_queue(key=f"invitation:{invitation.pk}:{stamp}")
    Invitation.objects.filter(pk=invitation.pk).update(delivery=delivery)
    invitation.delivery = delivery


def invitation_email(delivery):
    """The message of an invitation's delivery, made when it is sent; None once the link it
    carries no longer works (accepted, withdrawn or sent again since)."""
    invitation = (
        Invitation.objects.select_related("collaboration", "partner", "invited_by")
        .filter(pk=int(delivery.key.split(":")[1]))
        .first()
    )
    if invitation is None or not invitation.is_pending or invitation.delivery_id != delivery.pk:
        return None
    return templated_email(
        name="invitation",
        to=invitation.email,
        context={
            "invitation": invitation,
            "collaboration": invitation.collaboration,
            "inviter": invitation.invited_by,
            "accept_url": invitation_url(invitation=invitation),
            "role": invitation.get_role_display(),
        },
    )


register_message_builder("invitation", invitation_email)


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
    _queue_email(invitation)
    return invitation


def _tell_in_the_app(*, invitation: Invitation, by) -> None:
    path = reverse("invitations:accept", kwargs={"token": make_token(invitation.key)})
    invitation_notify(invitation=invitation, by=by, accept_url=path)


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by) -> Invitation:
    """Send a fresh link; the previous link stops working (and its e-mail, if it is still
    waiting for the mail server, is not sent)."""
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
    _queue_email(invitation)
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


class InvitationUsed(ValidationError):
    """The invitation was accepted (or withdrawn) meanwhile: by another tab, another person."""

    def __init__(self):
        super().__init__(
            _("This invitation has already been used. If it was you, sign in to continue.")
        )


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


def _locked_pending(invitation: Invitation) -> Invitation:
    """The invitation's row, locked until the transaction ends, if it is still pending.

    Two people (or tabs) accepting at once queue on this lock; the second finds it used."""
    locked = Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    if locked is None or not locked.is_pending:
        raise InvitationUsed
    return locked


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Make ``user`` a member as the invitation says; the link cannot be used again. The
    records an import attributed to the invitee's stand-in become ``user``'s."""
    invitation = _locked_pending(invitation)
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(_("This invitation was sent to another e-mail address."))
    membership, created = Membership.objects.get_or_create(
        user=user,
        collaboration=invitation.collaboration,
        defaults={"role": invitation.role, "partner": invitation.partner},
    )
    stand_in = invitation.stand_in
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.stand_in = None
    invitation.save(update_fields=["accepted_at", "accepted_by", "stand_in"])
    if stand_in is not None:
        user_take_over(stand_in=stand_in, user=user)
    audit_record(
        collaboration=invitation.collaboration,
        action=Action.INVITATION_ACCEPTED,
        actor=user,
        subject_email=user.email,
        detail=_describe(membership.role, membership.partner),
    )
    return membership


def invitation_account(invitation: Invitation):
    """The account the invitation's address already has, if any (shown to the invitee only)."""
    return User.objects.filter(email__iexact=invitation.email).first()


@transaction.atomic
def account_create_from_invitation(*, invitation: Invitation, full_name: str, password: str):
    """Create the invited person's account and accept the invitation with it.

    The invitation is locked first, so of two people submitting the form at once one
    creates the account and the other is told the invitation was used (InvitationUsed).
    An account without a usable password (made by a JSON import for someone who had not
    signed up) is the person's to claim: the link proves they read mail at that address,
    as a password-reset link would.
    """
    invitation = _locked_pending(invitation)
    user = User.objects.select_for_update().filter(email__iexact=invitation.email).first()
    if user is not None and user.has_usable_password():
        raise InvitationUsed  # the account was made meanwhile, by another invitation
    if user is not None:
        user.set_password(password)
        user.full_name = user.full_name or full_name
        user.save(update_fields=["password", "full_name"])
    else:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=invitation.email, password=password, full_name=full_name
                )
        except IntegrityError:
            raise InvitationUsed from None  # made at the same moment (SQLite has no row lock)
    invitation_accept(invitation=invitation, user=user)
    return user
