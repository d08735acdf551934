"""Each person's calendar feed: a secret address (``NotificationSettings.calendar_token``)
serving an ``.ics`` of what falls due in every collaboration they are a member of.

The core does not know the stage apps: each app that has dates to show registers a source
in its own ``calendar.py`` (found at start-up, like ``events.py``):

    register_calendar_source(task_entries)   # task_entries(user, memberships) -> entries

A source receives the person's current memberships (with their collaboration and
organisation) and returns its entries in a fixed number of queries, whatever the number of
collaborations. Only current memberships are passed, so a removed member's feed stops
listing that collaboration at the next fetch.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import icalendar
from django.conf import settings
from django.utils import timezone

from intersector.collaborations.models import Membership, Role


@dataclass(frozen=True)
class CalendarEntry:
    uid: str  # stable across fetches: "task-12", "milestone-3"
    day: datetime.date
    summary: str
    url: str  # a path of ours
    collaboration: str  # its title, shown in the description
    description: str = ""


CalendarSource = Callable[[object, list[Membership]], Iterable[CalendarEntry]]

_sources: list[CalendarSource] = []


def register_calendar_source(source: CalendarSource) -> CalendarSource:
    if source not in _sources:
        _sources.append(source)
    return source


def calendar_sources() -> tuple[CalendarSource, ...]:
    return tuple(_sources)


def speaking_for(memberships: Iterable[Membership]) -> dict[int, int]:
    """Collaboration id → the organisation the person speaks for there (observers speak
    for none)."""
    return {
        m.collaboration_id: m.partner_id
        for m in memberships
        if m.partner_id and m.role != Role.OBSERVER
    }


def calendar_entries(user) -> list[CalendarEntry]:
    """Everything in the person's feed, soonest first: one query for the memberships, then
    each source's own (fixed) queries."""
    memberships = list(
        Membership.objects.filter(user_id=user.pk).select_related("collaboration", "partner")
    )
    if not memberships:
        return []
    entries = [entry for source in _sources for entry in source(user, memberships)]
    entries.sort(key=lambda entry: (entry.day, entry.summary, entry.uid))
    return entries


def calendar_ics(user) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Intersector//Calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Intersector")
    stamp = timezone.now()
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "intersector"
    for entry in calendar_entries(user):
        event = icalendar.Event()
        event.add("uid", f"{entry.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + datetime.timedelta(days=1))
        event.add("summary", entry.summary)
        url = settings.SITE_URL + entry.url
        event.add("url", url)
        lines = [entry.collaboration, entry.description, url]
        event.add("description", "\n".join(line for line in lines if line))
        event.add("transp", "TRANSPARENT")  # all-day reminders, not busy time
        calendar.add_component(event)
    return calendar.to_ical()
