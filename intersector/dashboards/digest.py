"""The digest e-mail: for each person, at about 07:00 in their own time zone (daily, or on
their weekday), what waits for them (input requests to their organisation, their tasks due
soon, late milestones) and what changed since their last digest, by collaboration, and only
when there is something to say.

The sweep (``digests_send``, a periodic job) claims the people whose digest is due, gathers
everything for a batch of them in a fixed number of queries, however many people share a
collaboration, and writes one ``EmailDelivery`` each with what it says (``content``); the
send task renders and sends it once (its key names the person and the day). A digest lives
here, above the stages, because it reads the tasks and milestones of Design and Implement.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from design.models import Task
from implement.models import Milestone
from intersector.collaborations.models import Membership, Role
from intersector.notifications.emails import templated_email
from intersector.notifications.models import (
    Channel,
    EmailDelivery,
    Notification,
    NotificationSettings,
)
from intersector.notifications.services import (
    absolute,
    email_deliveries_enqueue,
    email_links,
    list_headers,
    register_message_builder,
)
from intersector.notifications.tokens import DIGEST
from intersector.worksheets.models import Comment, Consensus, InputRequest, Perspective
from intersector.worksheets.selectors import answered_partner_ids, current_answers

from .selectors import late_milestones_q

DIGEST_HOUR = 7
BATCH_SIZE = 1000  # people per transaction; the queries of a batch do not depend on its size
NEWS_SHOWN = 5  # notices listed by name in a collaboration; the rest are counted
TASK_SOON_DAYS = 3
Frequency = NotificationSettings.Frequency


def digest_day(schedule: NotificationSettings, now: datetime.datetime) -> datetime.date | None:
    """The person's local date when their digest is due now, else None: past 07:00 their
    time, on their weekday if weekly, and not sent since this morning's 07:00."""
    if schedule.digest_frequency == Frequency.NEVER:
        return None
    try:
        zone = zoneinfo.ZoneInfo(schedule.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = datetime.UTC
    local = now.astimezone(zone)
    if local.hour < DIGEST_HOUR:
        return None
    if schedule.digest_frequency == Frequency.WEEKLY and local.weekday() != schedule.digest_weekday:
        return None
    this_morning = datetime.datetime.combine(local.date(), datetime.time(DIGEST_HOUR), zone)
    if schedule.last_digest_at and schedule.last_digest_at >= this_morning:
        return None
    return local.date()


def period_start(schedule: NotificationSettings, now: datetime.datetime) -> datetime.datetime:
    days = 7 if schedule.digest_frequency == Frequency.WEEKLY else 1
    return schedule.last_digest_at or now - datetime.timedelta(days=days)


@dataclass
class Section:
    """One collaboration's part of one person's digest."""

    collaboration_id: int
    title: str
    url: str
    waiting: list[dict] = field(default_factory=list)
    news: list[dict] = field(default_factory=list)
    news_more: int = 0
    changes: list[dict] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.waiting or self.news or self.changes)

    def as_content(self) -> dict:
        return {
            "collaboration": self.collaboration_id,
            "title": self.title,
            "url": self.url,
            "waiting": self.waiting,
            "news": self.news,
            "news_more": self.news_more,
            "changes": self.changes,
        }


def item(text: str, url: str) -> dict:
    return {"text": text, "url": absolute(url)}


def _waiting_tasks(memberships, today) -> dict[tuple[int, int], list[dict]]:
    """Open tasks of the person or their organisation due within a few days, or overdue."""
    collaboration_ids = {m.collaboration_id for m in memberships}
    soon = today + datetime.timedelta(days=TASK_SOON_DAYS)
    tasks = (
        Task.objects.filter(collaboration_id__in=collaboration_ids, due__lte=soon)
        .exclude(status=Task.Status.DONE)
        .order_by("due", "pk")
        .values_list(
            "collaboration_id",
            "collaboration__slug",
            "title",
            "due",
            "assignee_id",
            "responsible_id",
        )
    )
    by_collaboration = defaultdict(list)
    for task in tasks:
        by_collaboration[task[0]].append(task)
    found = defaultdict(list)
    for m in memberships:
        for _c, slug, title, due, assignee_id, responsible_id in by_collaboration[
            m.collaboration_id
        ]:
            mine = assignee_id == m.user_id or (
                m.partner_id is not None
                and responsible_id == m.partner_id
                and m.role != Role.OBSERVER
            )
            if not mine:
                continue
            when = date_format(due, "j F")
            text = (
                _("Task “%(title)s” is overdue (it was due on %(date)s)")
                if due < today
                else _("Task “%(title)s” is due on %(date)s")
            ) % {"title": title, "date": when}
            found[m.user_id, m.collaboration_id].append(
                item(text, reverse("dashboards:tasks", args=[slug]))
            )
    return found


def _waiting_milestones(memberships, today) -> dict[tuple[int, int], list[dict]]:
    """Late milestones, for the facilitators and the organisation leading the activity."""
    collaboration_ids = {m.collaboration_id for m in memberships}
    late = (
        Milestone.objects.filter(late_milestones_q(today), collaboration_id__in=collaboration_ids)
        .order_by("due", "pk")
        .values_list("collaboration_id", "collaboration__slug", "title", "due", "activity__lead_id")
    )
    by_collaboration = defaultdict(list)
    for row in late:
        by_collaboration[row[0]].append(row)
    found = defaultdict(list)
    for m in memberships:
        for _c, slug, title, due, lead_id in by_collaboration[m.collaboration_id]:
            ours = m.role == Role.FACILITATOR or (
                lead_id is not None and lead_id == m.partner_id and m.role != Role.OBSERVER
            )
            if ours:
                text = _("Milestone “%(title)s” is late (it was due on %(date)s)") % {
                    "title": title,
                    "date": date_format(due, "j F"),
                }
                found[m.user_id, m.collaboration_id].append(
                    item(text, reverse("dashboards:milestones", args=[slug]))
                )
    return found


def _waiting_requests(memberships, today) -> dict[tuple[int, int], list[dict]]:
    """Open input requests to the person's organisation that it has not answered in full."""
    collaboration_ids = {m.collaboration_id for m in memberships}
    requests = list(
        InputRequest.objects.filter(collaboration_id__in=collaboration_ids, closed_at=None)
        .select_related("collaboration")
        .prefetch_related("partners")
        .order_by("due", "pk")
    )
    if not requests:
        return {}
    answers = current_answers({r.collaboration_id for r in requests})
    waiting_for = defaultdict(list)  # (collaboration, organisation) -> requests
    for request in requests:
        answered = answered_partner_ids(request, answers[request.collaboration_id])
        for partner in request.partners.all():
            if partner.pk not in answered:
                waiting_for[request.collaboration_id, partner.pk].append(request)
    found = defaultdict(list)
    for m in memberships:
        if m.partner_id is None or m.role == Role.OBSERVER:
            continue
        for request in waiting_for.get((m.collaboration_id, m.partner_id), ()):
            text = _("Your organisation's perspectives on “%(tool)s” are wanted by %(date)s") % {
                "tool": request.tool.name,
                "date": date_format(request.due, "j F"),
            }
            url = reverse(
                f"{request.stage}:tool", args=[request.collaboration.slug, request.tool_slug]
            )
            found[m.user_id, m.collaboration_id].append(item(text, url))
    return found


@dataclass(frozen=True)
class ChangeSource:
    """What changed in a collaboration, counted: its rows, when each changed, the words for
    a count, the page that shows them, and who made it (never counted for themselves)."""

    rows: object
    at: str
    words: object
    page: str
    by_partner: str | None = None
    by_user: str | None = None

    def columns(self) -> list[str]:
        return ["collaboration_id", self.at, self.by_partner or "pk", self.by_user or "pk"]


CHANGE_SOURCES = (
    ChangeSource(
        Perspective.objects.all(),
        "created_at",
        lambda n: ngettext("%(n)d new perspective", "%(n)d new perspectives", n),
        "worksheets:overview",
        by_partner="partner_id",
    ),
    ChangeSource(
        Consensus.objects.filter(status=Consensus.Status.AGREED),
        "updated_at",
        lambda n: ngettext("%(n)d answer agreed", "%(n)d answers agreed", n),
        "worksheets:overview",
        by_user="author_id",
    ),
    ChangeSource(
        Comment.objects.all(),
        "created_at",
        lambda n: ngettext("%(n)d new comment", "%(n)d new comments", n),
        "worksheets:overview",
        by_user="author_id",
    ),
    ChangeSource(
        Task.objects.all(),
        "updated_at",
        lambda n: ngettext("%(n)d task added or changed", "%(n)d tasks added or changed", n),
        "dashboards:tasks",
    ),
    ChangeSource(
        Milestone.objects.all(),
        "updated_at",
        lambda n: ngettext(
            "%(n)d milestone added or changed", "%(n)d milestones added or changed", n
        ),
        "dashboards:milestones",
    ),
)


def _change_times(collaboration_ids, since) -> list[dict[int, list[tuple]]]:
    """For each change source: collaboration → (when, by which organisation, by whom) of
    each row changed since ``since``."""
    found = []
    for source in CHANGE_SOURCES:
        changes = defaultdict(list)
        rows = source.rows.filter(
            collaboration_id__in=collaboration_ids, **{f"{source.at}__gt": since}
        ).values_list(*source.columns())
        for collaboration_id, when, partner_id, user_id in rows:
            changes[collaboration_id].append(
                (
                    when,
                    partner_id if source.by_partner else None,
                    user_id if source.by_user else None,
                )
            )
        found.append(changes)
    return found


def _count_for(membership, changes, since) -> int:
    return sum(
        when > since
        and (partner_id is None or partner_id != membership.partner_id)
        and (user_id is None or user_id != membership.user_id)
        for when, partner_id, user_id in changes.get(membership.collaboration_id, ())
    )


def _news(user_ids, collaboration_ids) -> dict[tuple[int, int], list[Notification]]:
    """The notices each person chose to read in their digest and has not read yet."""
    found = defaultdict(list)
    for notice in (
        Notification.objects.filter(
            recipient_id__in=user_ids,
            collaboration_id__in=collaboration_ids,
            channel=Channel.DIGEST,
            digested_at=None,
            read_at=None,
        )
        .select_related("event")
        .order_by("-created_at", "-pk")
    ):
        found[notice.recipient_id, notice.collaboration_id].append(notice)
    return found


def digest_sections(schedules, now) -> tuple[dict[int, list[Section]], list[int]]:
    """Each person's sections (only collaborations with something to say), and the notices
    they include, in a fixed number of queries for the whole batch."""
    by_user = {s.user_id: s for s in schedules}
    memberships = list(
        Membership.objects.filter(user_id__in=by_user)
        .select_related("collaboration")
        .order_by("collaboration__title", "pk")
    )
    collaboration_ids = {m.collaboration_id for m in memberships}
    today = timezone.localdate(now)
    waiting = [
        _waiting_requests(memberships, today),
        _waiting_tasks(memberships, today),
        _waiting_milestones(memberships, today),
    ]
    since = {user_id: period_start(s, now) for user_id, s in by_user.items()}
    changes = _change_times(collaboration_ids, min(since.values(), default=now))
    news = _news(by_user, collaboration_ids)
    sections, included = defaultdict(list), []
    for m in memberships:
        key = m.user_id, m.collaboration_id
        overview = reverse("worksheets:overview", args=[m.collaboration.slug])
        section = Section(m.collaboration_id, m.collaboration.title, absolute(overview))
        for source in waiting:
            section.waiting += source.get(key, [])
        notices = news.get(key, [])
        included += [n.pk for n in notices]
        section.news = [item(n.event.summary, n.event.url) for n in notices[:NEWS_SHOWN]]
        section.news_more = max(len(notices) - NEWS_SHOWN, 0)
        for source, found in zip(CHANGE_SOURCES, changes, strict=True):
            if n := _count_for(m, found, since[m.user_id]):
                url = reverse(source.page, args=[m.collaboration.slug])
                section.changes.append(item(source.words(n) % {"n": n}, url))
        if not section.empty:
            sections[m.user_id].append(section)
    return sections, included


def _ensure_schedules() -> None:
    """Every member has a schedule row (the default: a daily digest), so the sweep can
    claim it and remember when it last sent."""
    missing = (
        get_user_model()
        .objects.filter(memberships__isnull=False, notification_settings__isnull=True)
        .distinct()
    )
    NotificationSettings.objects.bulk_create(
        [NotificationSettings(user_id=pk) for pk in missing.values_list("pk", flat=True)],
        ignore_conflicts=True,
    )


def digests_send(now: datetime.datetime) -> int:
    """The periodic job: queue the digests due now. Safe to run twice at once: a batch's
    schedules are locked and stamped in one transaction, and a digest's key (person, day)
    is unique."""
    _ensure_schedules()
    due = [
        s.pk
        for s in NotificationSettings.objects.exclude(digest_frequency=Frequency.NEVER).only(
            "pk", "digest_frequency", "digest_weekday", "time_zone", "last_digest_at"
        )
        if digest_day(s, now)
    ]
    queued = 0
    for start in range(0, len(due), BATCH_SIZE):
        queued += _digest_batch(due[start : start + BATCH_SIZE], now)
    return queued


@transaction.atomic
def _digest_batch(schedule_ids: list[int], now: datetime.datetime) -> int:
    claimed = [
        s
        for s in NotificationSettings.objects.select_for_update(skip_locked=True).filter(
            pk__in=schedule_ids
        )
        if digest_day(s, now)  # not sent by a sweep running beside this one
    ]
    if not claimed:
        return 0
    sections, included = digest_sections(claimed, now)
    NotificationSettings.objects.filter(pk__in=[s.pk for s in claimed]).update(last_digest_at=now)
    Notification.objects.filter(pk__in=included).update(digested_at=now)
    deliveries = [
        EmailDelivery(
            key=f"digest:{s.user_id}:{digest_day(s, now).isoformat()}",
            recipient_id=s.user_id,
            content={
                "frequency": s.digest_frequency,
                "sections": [section.as_content() for section in sections[s.user_id]],
            },
        )
        for s in claimed
        if sections.get(s.user_id)
    ]
    EmailDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    email_deliveries_enqueue(
        EmailDelivery.objects.filter(
            key__in=[d.key for d in deliveries], status=EmailDelivery.Status.PENDING
        ).values_list("pk", flat=True)
    )
    return len(deliveries)


def digest_email(delivery: EmailDelivery):
    """The digest's message; the collaborations the person has left since are left out."""
    member_of = set(
        Membership.objects.filter(user_id=delivery.recipient_id).values_list(
            "collaboration_id", flat=True
        )
    )
    sections = [s for s in delivery.content.get("sections", []) if s["collaboration"] in member_of]
    if not sections:
        return None
    context = {
        "recipient": delivery.recipient,
        "sections": sections,
        "weekly": delivery.content.get("frequency") == Frequency.WEEKLY,
        **email_links(delivery.recipient, kind=DIGEST),
    }
    return templated_email(
        name="digest", to=delivery.recipient.email, context=context, headers=list_headers(context)
    )


register_message_builder("digest", digest_email)
