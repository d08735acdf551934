from __future__ import annotations

from itertools import groupby

from django.db.models import Exists, OuterRef, Q

from intersector.collaborations.models import Membership

from .kinds import all_kinds
from .models import Notification, NotificationSettings, Preference

PAGE_SIZE = 100


def visible_notifications(user):
    """A person's notifications from the collaborations they are still a member of, and
    the membership notices (being removed matters most to someone no longer a member)."""
    still_member = Exists(
        Membership.objects.filter(user_id=user.pk, collaboration_id=OuterRef("collaboration_id"))
    )
    about_membership = [kind.key for kind in all_kinds() if not kind.requires_membership]
    return Notification.objects.filter(recipient_id=user.pk).filter(
        still_member | Q(event__kind__in=about_membership)
    )


def unread_count(user) -> int:
    return visible_notifications(user).filter(read_at=None).count()


def notifications_by_collaboration(user, *, limit: int = PAGE_SIZE):
    """The newest notifications, grouped by collaboration (the group of the newest first)."""
    rows = list(
        visible_notifications(user)
        .select_related("event", "event__actor", "collaboration")
        .order_by("-created_at", "-pk")[:limit]
    )
    order = {}
    for row in rows:
        order.setdefault(row.collaboration_id, len(order))
    rows.sort(key=lambda n: order[n.collaboration_id])
    return [
        (group[0].collaboration, group)
        for _, grouped in groupby(rows, key=lambda n: n.collaboration_id)
        for group in [list(grouped)]
    ]


def preferences_of(user) -> tuple[list[tuple[object, str]], NotificationSettings]:
    chosen = dict(Preference.objects.filter(user_id=user.pk).values_list("kind", "channel"))
    rows = [(kind, chosen.get(kind.key, kind.default)) for kind in all_kinds()]
    settings, _ = NotificationSettings.objects.get_or_create(user_id=user.pk)
    return rows, settings
