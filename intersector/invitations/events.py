"""The notices about membership itself: being invited, a changed role, being
removed. Membership changes are written by ``intersector.collaborations.services``, which
cannot import the notifications: it calls the listener registered here.

A removed person still hears of it (``requires_membership=False``), but the notice links
to their list of collaborations, never into the one they can no longer see. An invitation
tells an existing account in the app too; whether the address has an account is looked up
in the fan-out task, so the inviting request is the same either way (the invitation
e-mail itself goes to the address regardless).
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intersector.collaborations.models import Role
from intersector.collaborations.registry import (
    MEMBERSHIP_CHANGED,
    MEMBERSHIP_REMOVED,
    register_membership_listener,
)
from intersector.notifications.kinds import Audience, Kind, register_kind
from intersector.notifications.models import Channel, Event
from intersector.notifications.services import notify


def invitee_audience(event: Event) -> Audience:
    """The account of the invited address, if there is one."""
    accounts = get_user_model().objects.filter(email__iexact=event.payload["email"], is_active=True)
    return Audience.of(users=accounts.values_list("pk", flat=True))


INVITED = register_kind(
    Kind(
        "invited",
        gettext_lazy("I am invited to a collaboration"),
        # The invitation e-mail already says so: in the app only, unless chosen otherwise.
        default=Channel.APP,
        audience=invitee_audience,
        requires_membership=False,
    )
).key
ROLE_CHANGED = register_kind(
    Kind("role_changed", gettext_lazy("My role in a collaboration changes"), default=Channel.DIGEST)
).key
REMOVED = register_kind(
    Kind(
        "removed",
        gettext_lazy("I am removed from a collaboration"),
        # At once: the digest only covers the collaborations a person is still a member of.
        default=Channel.EMAIL,
        requires_membership=False,
    )
).key


def describe(role: str, partner) -> str:
    label = str(Role(role).label)
    return f"{label} · {partner.name}" if partner else label


def invitation_notify(*, invitation, by, accept_url: str) -> None:
    """Tell the invited address's account, if it has one (found in the worker)."""
    collaboration = invitation.collaboration
    notify(
        kind=INVITED,
        collaboration=collaboration,
        actor=by,
        summary=_("%(who)s invited you to join “%(title)s” as %(role)s")
        % {
            "who": by.display_name if by else _("A facilitator"),
            "title": collaboration.title,
            "role": describe(invitation.role, invitation.partner),
        },
        url=accept_url,
        payload={"email": invitation.email},
    )


def tell_the_member(*, change: str, membership, by=None, before=None) -> None:
    collaboration = membership.collaboration
    who = by.display_name if by else _("A facilitator")
    title = collaboration.title
    now = describe(membership.role, membership.partner)
    if change == MEMBERSHIP_CHANGED:
        kind, url = ROLE_CHANGED, reverse("worksheets:overview", args=[collaboration.slug])
        summary = _("%(who)s changed your role in “%(title)s”: %(before)s → %(now)s") % {
            "who": who,
            "title": title,
            "before": describe(before.role, before.partner),
            "now": now,
        }
    elif change == MEMBERSHIP_REMOVED:
        kind, url = REMOVED, reverse("home")  # not into what they can no longer see
        summary = _("%(who)s removed you from “%(title)s”") % {"who": who, "title": title}
    else:
        return
    notify(
        kind=kind,
        collaboration=collaboration,
        actor=by,
        summary=summary,
        url=url,
        audience=Audience.of(users=[membership.user_id]),
    )


register_membership_listener(tell_the_member)
