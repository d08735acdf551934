"""Reminders of due dates, found by the periodic sweep: due soon, due today, overdue.

A stage app lists what falls due (``DueItem``) and ``due_reminders_send`` raises at most
one event per item and notice: the event key names the item, its due date and the notice
(``task-due:12:2026-03-05:soon``), so a sweep that runs twice, or two at once, says it once,
and moving the date makes the notices due again.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from intersector.collaborations.models import Collaboration

from .kinds import Audience
from .models import Event
from .services import notify

SOON_DAYS = 3  # "due in 3 days"
# Past this, an overdue item found by the sweep (after a long pause, or on the day this
# was installed) is not announced: one notice must not dig up last year's tasks.
OVERDUE_LOOKBACK_DAYS = 7

SOON, TODAY, OVERDUE = "soon", "today", "overdue"


def due_notice(due: datetime.date, today: datetime.date) -> str | None:
    """Which notice is due for something due on ``due``: one of SOON, TODAY, OVERDUE."""
    if due == today:
        return TODAY
    if today < due <= today + datetime.timedelta(days=SOON_DAYS):
        return SOON
    if due < today <= due + datetime.timedelta(days=OVERDUE_LOOKBACK_DAYS):
        return OVERDUE
    return None


def due_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The due dates the sweep looks at (for the stage apps' queries)."""
    return (
        today - datetime.timedelta(days=OVERDUE_LOOKBACK_DAYS),
        today + datetime.timedelta(days=SOON_DAYS),
    )


@dataclass(frozen=True)
class DueItem:
    key: str  # "task-due:<id>"
    noun: str  # "Task", "Milestone" (translated)
    title: str
    due: datetime.date
    collaboration: Collaboration
    url: str
    audience: Audience


def notice_summary(item: DueItem, notice: str) -> str:
    values = {"noun": item.noun, "title": item.title, "due": date_format(item.due)}
    if notice == TODAY:
        return _("%(noun)s “%(title)s” is due today") % values
    if notice == SOON:
        return _("%(noun)s “%(title)s” is due on %(due)s") % values
    return _("%(noun)s “%(title)s” is overdue: it was due on %(due)s") % values


def due_reminders_send(items: Iterable[DueItem], *, kind: str, today: datetime.date) -> int:
    """Raise the notices due today for ``items``; those already raised are skipped (one
    query for all of them), and the event key keeps a concurrent sweep from doubling one."""
    due = []
    for item in items:
        notice = due_notice(item.due, today)
        if notice is not None:
            due.append((item, notice, f"{item.key}:{item.due.isoformat()}:{notice}"))
    if not due:
        return 0
    raised = set(
        Event.objects.filter(key__in=[key for *_, key in due]).values_list("key", flat=True)
    )
    count = 0
    for item, notice, key in due:
        if key in raised:
            continue
        with transaction.atomic():
            event = notify(
                kind=kind,
                collaboration=item.collaboration,
                summary=notice_summary(item, notice),
                url=item.url,
                audience=item.audience,
                payload={"due": item.due.isoformat(), "notice": notice},
                key=key,
            )
        count += event is not None
    return count
