"""Reads for the dashboards. Every function runs a fixed number of queries, however many
partners, answers, milestones or collaborations there are (tests/dashboards prove it).

Progress is never counted here: it comes from ``worksheets.selectors``
(``current_answers`` and ``progress_from``), the same functions
the overview and the stage pages use.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import CharField, Count, F, Max, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Substr
from django.urls import reverse
from django.utils import timezone

from assess.models import Measurement
from design.models import Indicator, Task
from diagnose.models import Decision
from implement.models import Milestone, ProgressUpdate, Win
from intersector.collaborations.access import Access
from intersector.collaborations.models import Collaboration, Membership, Partner, Sector, Stage
from intersector.worksheets.models import (
    Comment,
    Consensus,
    Perspective,
    StageMove,
)
from intersector.worksheets.selectors import (
    CurrentAnswers,
    InputRequestStatus,
    OpenProposal,
    OpenProposals,
    StageProgress,
    current_answers,
    dom_id,
    input_request_statuses,
    open_proposals,
    progress_from,
)
from intersector.worksheets.toolkit import questions_by_key

FEED_PAGE_SIZE = 10


# Progress ---------------------------------------------------------------------------------


@dataclass
class Overall:
    """All four stages together: questions, answered (≥ 1 perspective), agreed."""

    questions: int = 0
    answered: int = 0
    agreed: int = 0

    @classmethod
    def of(cls, progress: dict[str, StageProgress]) -> Overall:
        stages = progress.values()
        return cls(
            questions=sum(s.questions for s in stages),
            answered=sum(s.answered for s in stages),
            agreed=sum(s.agreed for s in stages),
        )

    @property
    def percent_answered(self) -> int:
        return round(100 * self.answered / self.questions) if self.questions else 0

    @property
    def percent_agreed(self) -> int:
        return round(100 * self.agreed / self.questions) if self.questions else 0


# Partner organisations --------------------------------------------------------------------


@dataclass
class PartnerSummary:
    """One partner organisation: what it wrote, its open tasks and (on the organisations
    page) when it was last active."""

    partner: Partner
    perspectives: int
    open_tasks: int = 0
    overdue_tasks: int = 0
    blocked_tasks: int = 0
    next_due: datetime.date | None = None
    last_activity: datetime.datetime | None = None

    @property
    def has_contributed(self) -> bool:
        return self.perspectives > 0


# Records written for an organisation (``Authored.created_for``) count as its activity too.
_AUTHORED = (Win, ProgressUpdate, Milestone, Measurement)


def _partner_last_activity(collaboration: Collaboration) -> dict[int, datetime.datetime]:
    """Newest answer or record per partner organisation, in one query (it reads every
    answer: the organisations page has it, not the dashboard)."""
    branches = [
        Perspective.objects.filter(collaboration=collaboration)
        .order_by()
        .values(pid=F("partner_id"))
        .annotate(last=Max("updated_at"))
    ]
    for model in _AUTHORED:
        branches.append(
            model.objects.filter(collaboration=collaboration, created_for__isnull=False)
            .order_by()
            .values(pid=F("created_for_id"))
            .annotate(last=Max("created_at"))
        )
    latest: dict[int, datetime.datetime] = {}
    for row in branches[0].union(*branches[1:], all=True):
        if row["pid"] is not None and (
            row["pid"] not in latest or row["last"] > latest[row["pid"]]
        ):
            latest[row["pid"]] = row["last"]
    return latest


def partner_summaries(
    collaboration: Collaboration,
    answers: CurrentAnswers,
    today: datetime.date,
    *,
    with_last_activity: bool = False,
) -> list[PartnerSummary]:
    """Every partner organisation A–Z with its perspectives and open tasks, in one query;
    ``with_last_activity``: and when each was last active, in one more."""
    counts = answers.perspectives_by_partner()
    last = _partner_last_activity(collaboration) if with_last_activity else {}
    open_task = ~Q(tasks__status=Task.Status.DONE)
    partners = (
        Partner.objects.filter(collaboration=collaboration)
        .only("collaboration_id", "name", "sector")
        .annotate(
            open_tasks=Count("tasks", filter=open_task),
            overdue_tasks=Count("tasks", filter=open_task & Q(tasks__due__lt=today)),
            blocked_tasks=Count("tasks", filter=Q(tasks__status=Task.Status.BLOCKED)),
            next_due=Min("tasks__due", filter=open_task & Q(tasks__due__gte=today)),
        )
        .order_by("name", "pk")
    )
    return [
        PartnerSummary(
            partner=partner,
            perspectives=counts.get(partner.pk, 0),
            open_tasks=partner.open_tasks,
            overdue_tasks=partner.overdue_tasks,
            blocked_tasks=partner.blocked_tasks,
            next_due=partner.next_due,
            last_activity=last.get(partner.pk),
        )
        for partner in partners
    ]


# The organisations page sorts on the server like the portfolio (``parse_sort``); the rows
# arrive A–Z, so equal keys stay in name order.
ORGANISATION_SORTS = {
    "name": lambda r: r.partner.name.casefold(),
    "perspectives": lambda r: r.perspectives,
    "activity": lambda r: r.last_activity or datetime.datetime.min.replace(tzinfo=datetime.UTC),
    "overdue": lambda r: (r.overdue_tasks, r.open_tasks),
}


# Participation ----------------------------------------------------------------------------


@dataclass
class SectorParticipation:
    sector: str
    label: str
    partners: int = 0
    contributed: int = 0
    perspectives: int = 0


@dataclass
class Participation:
    partners: list[PartnerSummary]  # A–Z
    sectors: list[SectorParticipation]

    @cached_property
    def not_contributed(self) -> list[PartnerSummary]:
        return [row for row in self.partners if not row.has_contributed]

    @property
    def contributed(self) -> int:
        return sum(row.has_contributed for row in self.partners)

    @cached_property
    def least_involved(self) -> list[PartnerSummary]:
        """Organisations that have contributed, fewest perspectives first (those that have
        not contributed yet are listed apart, as needing attention)."""
        rows = [row for row in self.partners if row.has_contributed]
        return sorted(rows, key=lambda row: row.perspectives)  # stable: A–Z among equals


def participation(partners: list[PartnerSummary]) -> Participation:
    """Per organisation (as given) and per sector (no queries)."""
    sectors = {s.value: SectorParticipation(sector=s.value, label=s.label) for s in Sector}
    for row in partners:
        sector = sectors[row.partner.sector]
        sector.partners += 1
        sector.contributed += row.has_contributed
        sector.perspectives += row.perspectives
    return Participation(partners=partners, sectors=[s for s in sectors.values() if s.partners])


# Delivery ---------------------------------------------------------------------------------

MILESTONE_STATES = ("late", "at_risk", "on_track", "planned", "achieved")


def late_milestones_q(today: datetime.date) -> Q:
    """The database form of ``Milestone.is_late``: not achieved and past its due date."""
    return Q(due__lt=today) & ~Q(status=Milestone.Status.ACHIEVED)


@dataclass
class MilestoneRow:
    title: str
    due: datetime.date
    state: str  # one of MILESTONE_STATES: late is derived from the date (Milestone.state_of)
    lead: str  # the organisation leading its activity; "" for a milestone of a whole goal

    @property
    def state_label(self) -> str:
        return str(Milestone.state_labels()[self.state])


def milestone_rows(collaboration: Collaboration, today: datetime.date) -> list[MilestoneRow]:
    """Every milestone in one light query: late ones first (the oldest first), then at risk
    and those ahead (the soonest first), then the achieved ones (the most recent first)."""
    rank = {"late": 0, "at_risk": 1, "on_track": 2, "planned": 2, "achieved": 3}
    rows = [
        MilestoneRow(title, due, Milestone.state_of(status, due, today), lead or "")
        for title, due, status, lead in Milestone.objects.filter(collaboration=collaboration)
        .order_by("due", "pk")
        .values_list("title", "due", "status", "activity__lead__name")
    ]
    rows.sort(key=lambda r: rank[r.state])  # stable: by due date within each state
    achieved = [r for r in rows if r.state == "achieved"]
    return rows[: len(rows) - len(achieved)] + achieved[::-1]


def open_tasks(collaboration: Collaboration):
    """Open tasks, overdue ones first (the oldest first), those without a due date last."""
    return (
        Task.objects.filter(collaboration=collaboration)
        .exclude(status=Task.Status.DONE)
        .select_related("responsible")
        .order_by(F("due").asc(nulls_last=True), "pk")
    )


@dataclass
class Delivery:
    milestones: list[MilestoneRow]  # all of them, late first (``milestone_rows``)
    overdue_tasks: list[Task]  # the first few, oldest first
    tasks_by_partner: list[PartnerSummary]  # organisations with open tasks, most overdue first
    shown: int = 5  # rows of each list on the dashboard

    @cached_property
    def milestone_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(MILESTONE_STATES, 0)
        for row in self.milestones:
            counts[row.state] += 1
        return counts

    @property
    def attention(self) -> list[MilestoneRow]:
        """The first few late (oldest first), then at risk (soonest first)."""
        return [m for m in self.milestones if m.state in ("late", "at_risk")][: self.shown]

    @property
    def upcoming(self) -> list[MilestoneRow]:
        """The first few on track or planned, soonest first."""
        return [m for m in self.milestones if m.state in ("on_track", "planned")][: self.shown]

    @property
    def late(self) -> int:
        return self.milestone_counts["late"]

    @property
    def attention_count(self) -> int:
        return self.milestone_counts["late"] + self.milestone_counts["at_risk"]

    @property
    def open_tasks(self) -> int:
        return sum(row.open_tasks for row in self.tasks_by_partner)

    @property
    def overdue_task_count(self) -> int:
        return sum(row.overdue_tasks for row in self.tasks_by_partner)

    @property
    def state_tally(self) -> list[tuple[str, str, int]]:
        labels = Milestone.state_labels()
        return [(state, labels[state], self.milestone_counts[state]) for state in MILESTONE_STATES]


def delivery(
    collaboration: Collaboration,
    partners: list[PartnerSummary],
    today: datetime.date,
    *,
    shown: int = 5,
) -> Delivery:
    """Milestones by state, the first ``shown`` overdue tasks, and open tasks per
    organisation (from ``partners``): two queries however many there are."""
    return Delivery(
        milestones=milestone_rows(collaboration, today),
        overdue_tasks=list(open_tasks(collaboration).filter(due__lt=today)[:shown]),
        tasks_by_partner=sorted(
            (row for row in partners if row.open_tasks),
            key=lambda r: (-r.overdue_tasks, -r.open_tasks, r.partner.name),
        ),
        shown=shown,
    )


# Results ----------------------------------------------------------------------------------


@dataclass
class IndicatorResult:
    indicator: Indicator
    latest_value: Decimal | None
    latest_on: datetime.date | None

    @property
    def percent_to_target(self) -> int | None:
        """How far the latest measurement has come from baseline towards target."""
        ind = self.indicator
        if self.latest_value is None or ind.target == ind.baseline:
            return None
        share = (self.latest_value - ind.baseline) / (ind.target - ind.baseline)
        return round(100 * share)


def results(collaboration: Collaboration) -> list[IndicatorResult]:
    """Each indicator with its latest measurement, in one query (the charts are in Assess):
    the ones not measured yet first, then the furthest from their target."""
    newest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-measured_on")
    indicators = Indicator.objects.filter(collaboration=collaboration).annotate(
        latest_value=Subquery(newest.values("value")[:1]),
        latest_on=Subquery(newest.values("measured_on")[:1]),
    )
    rows = [IndicatorResult(i, i.latest_value, i.latest_on) for i in indicators]
    return sorted(
        rows,
        key=lambda r: (
            r.latest_value is not None,
            r.percent_to_target if r.percent_to_target is not None else 0,
        ),
    )


# Activity feed ----------------------------------------------------------------------------


@dataclass
class FeedItem:
    kind: str  # answer, consensus, comment, stage_move, win, update, measurement
    at: datetime.datetime
    who: str
    organisation: str
    subject: str
    detail: str
    question: object = None  # (stage, tool, question) for worksheet items
    url: str = ""

    @property
    def status_label(self) -> str:
        if self.kind == "consensus":
            return str(Consensus.Status(self.detail).label) if self.detail else ""
        return ""

    @property
    def stage_labels(self) -> tuple[str, str]:
        return (
            str(Stage(self.subject).label) if self.subject in Stage.values else self.subject,
            str(Stage(self.detail).label) if self.detail in Stage.values else self.detail,
        )


def _newest(model, collaboration: Collaboration, at: str, *, limit: int, left_out=None, **columns):
    """The feed columns of ``model``'s ``limit`` newest rows in ``collaboration`` (but those
    ``left_out`` matches).

    The newest rows are picked by primary key in a subquery, so each part of the union hands
    it at most a page's worth of rows however many there are (SQLite does not allow a
    LIMIT in a part of a union itself).
    """
    rows = model.objects.filter(collaboration=collaboration)
    if left_out is not None:
        rows = rows.exclude(left_out)
    newest = rows.order_by(f"-{at}", "-pk").values("pk")[:limit]
    parts = {"kind": Value(columns.pop("kind")), "at": F(at), **columns}
    for name in ("who", "organisation", "subject", "detail"):
        parts.setdefault(name, Value(""))
    return (
        model.objects.filter(pk__in=newest)
        .order_by()
        .values(
            kind=parts["kind"],
            at=parts["at"],
            who=parts["who"],
            organisation=parts["organisation"],
            subject=parts["subject"],
            detail=parts["detail"],
        )
    )


def _feed_rows(collaboration: Collaboration, *, offset: int, limit: int) -> list[dict]:
    """Rows of every source, newest first: answers whose text was not emptied, agreed answers
    not reopened without text, comments, stage moves, wins, progress updates, measurements."""
    newest = offset + limit
    answers = _newest(
        Perspective,
        collaboration,
        "updated_at",
        limit=newest,
        kind="answer",
        who=F("author__full_name"),
        organisation=F("partner__name"),
        subject=F("question_key"),
        left_out=Q(text=""),
    )
    parts = [
        _newest(
            Consensus,
            collaboration,
            "updated_at",
            limit=newest,
            kind="consensus",
            who=F("author__full_name"),
            subject=F("question_key"),
            detail=F("status"),
            left_out=Q(status=Consensus.Status.OPEN, text=""),
        ),
        _newest(
            Comment,
            collaboration,
            "created_at",
            limit=newest,
            kind="comment",
            who=F("author__full_name"),
            subject=F("question_key"),
            detail=Substr("text", 1, 160),
        ),
        _newest(
            StageMove,
            collaboration,
            "moved_at",
            limit=newest,
            kind="stage_move",
            who=F("moved_by__full_name"),
            subject=F("from_stage"),
            detail=F("to_stage"),
        ),
        _newest(
            Win,
            collaboration,
            "created_at",
            limit=newest,
            kind="win",
            who=F("created_by__full_name"),
            organisation=F("created_for__name"),
            subject=F("title"),
        ),
        _newest(
            ProgressUpdate,
            collaboration,
            "created_at",
            limit=newest,
            kind="update",
            who=F("created_by__full_name"),
            organisation=F("created_for__name"),
            subject=Substr("summary", 1, 160),
        ),
        _newest(
            Measurement,
            collaboration,
            "created_at",
            limit=newest,
            kind="measurement",
            who=F("created_by__full_name"),
            organisation=F("created_for__name"),
            subject=F("indicator__name"),
            detail=Cast("value", CharField()),
        ),
    ]
    return list(answers.union(*parts, all=True).order_by("-at")[offset : offset + limit])


@dataclass
class FeedPage:
    items: list[FeedItem]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def activity_feed(collaboration: Collaboration, page: int = 1) -> FeedPage:
    """One page of recent activity, newest first, in one query (no COUNT: newer/older links)."""
    page = max(1, page)
    rows = _feed_rows(collaboration, offset=(page - 1) * FEED_PAGE_SIZE, limit=FEED_PAGE_SIZE + 1)
    questions = questions_by_key()
    tool_urls: dict[tuple[str, str], str] = {}
    items = []
    for row in rows[:FEED_PAGE_SIZE]:
        kind, subject = row["kind"], row["subject"] or ""
        item = FeedItem(
            kind=kind,
            at=row["at"],
            who=row["who"] or "",
            organisation=row["organisation"] or "",
            subject=subject,
            detail=row["detail"] or "",
        )
        if kind in ("answer", "consensus", "comment") and subject in questions:
            item.question = questions[subject]
            stage, tool, _question = item.question
            if (stage.key, tool.slug) not in tool_urls:
                tool_urls[stage.key, tool.slug] = reverse(
                    f"{stage.key}:tool", kwargs={"slug": collaboration.slug, "tool_slug": tool.slug}
                )
            item.url = f"{tool_urls[stage.key, tool.slug]}#{dom_id(subject)}"
        if kind == "measurement" and item.detail:
            item.detail = f"{Decimal(item.detail).normalize():f}"
        items.append(item)
    return FeedPage(items=items, number=page, has_next=len(rows) > FEED_PAGE_SIZE)


def last_activity(collaboration_ids) -> dict[int, datetime.datetime]:
    """The newest feed entry of each collaboration, in one query."""
    sources = (
        (Perspective, "updated_at"),
        (Consensus, "updated_at"),
        (Comment, "created_at"),
        (StageMove, "moved_at"),
        (Win, "created_at"),
        (ProgressUpdate, "created_at"),
        (Measurement, "created_at"),
    )
    branches = [
        model.objects.filter(collaboration_id__in=collaboration_ids)
        .order_by()
        .values(cid=F("collaboration_id"))
        .annotate(last=Max(at))
        for model, at in sources
    ]
    latest: dict[int, datetime.datetime] = {}
    for row in branches[0].union(*branches[1:], all=True):
        if row["cid"] not in latest or row["last"] > latest[row["cid"]]:
            latest[row["cid"]] = row["last"]
    return latest


# The collaboration dashboard --------------------------------------------------------------


# How many rows of each list the dashboard shows; "Show all" pages have the rest.
SHOWN = 5  # late or at-risk milestones, overdue tasks, upcoming milestones
PARTNERS_SHOWN = 8  # least involved organisations, open tasks by organisation
WAITING_SHOWN = 12  # organisations that have not contributed yet
RESULTS_SHOWN = 10  # indicators (all of them, with charts, are in Assess)


@dataclass
class CollaborationDashboard:
    collaboration: Collaboration
    progress: dict[str, StageProgress]
    overall: Overall
    participation: Participation
    delivery: Delivery
    results: list[IndicatorResult]
    feed: FeedPage
    requests: list[InputRequestStatus]
    proposals: OpenProposals

    @property
    def waiting(self) -> list[PartnerSummary]:
        return self.participation.not_contributed[:WAITING_SHOWN]

    @property
    def waiting_more(self) -> int:
        return len(self.participation.not_contributed) - len(self.waiting)

    @property
    def least_involved(self) -> list[PartnerSummary]:
        return self.participation.least_involved[:PARTNERS_SHOWN]

    @property
    def tasks_by_partner(self) -> list[PartnerSummary]:
        return self.delivery.tasks_by_partner[:PARTNERS_SHOWN]

    @property
    def results_shown(self) -> list[IndicatorResult]:
        return self.results[:RESULTS_SHOWN]


def collaboration_dashboard(access: Access, *, page: int = 1) -> CollaborationDashboard:
    """Everything on the dashboard in a fixed number of queries (tests/dashboards)."""
    collaboration = access.collaboration
    today = timezone.localdate()
    answers = current_answers([collaboration.pk])[collaboration.pk]
    progress = progress_from(answers)
    partners = partner_summaries(collaboration, answers, today)
    return CollaborationDashboard(
        collaboration=collaboration,
        progress=progress,
        overall=Overall.of(progress),
        participation=participation(partners),
        delivery=delivery(collaboration, partners, today, shown=SHOWN),
        results=results(collaboration),
        feed=activity_feed(collaboration, page),
        requests=input_request_statuses(collaboration, answers),
        proposals=open_proposals([collaboration.pk])[collaboration.pk],
    )


# The portfolio ----------------------------------------------------------------------------


@dataclass
class PortfolioRow:
    membership: Membership
    collaboration: Collaboration
    overall: Overall
    late_milestones: int
    last_activity: datetime.datetime | None
    decision: Decision | None
    open_proposals: list[OpenProposal]

    @property
    def decision_key(self) -> str:
        return self.decision.outcome if self.decision else ""


SORTS = {
    "title": lambda r: r.collaboration.title.casefold(),
    "stage": lambda r: (
        Stage(r.collaboration.current_stage).index,
        r.collaboration.title.casefold(),
    ),
    "progress": lambda r: (r.overall.percent_agreed, r.overall.percent_answered),
    "late": lambda r: r.late_milestones,
    "activity": lambda r: r.last_activity or datetime.datetime.min.replace(tzinfo=datetime.UTC),
    "decision": lambda r: (
        ("proceed", "revisit", "do_not_proceed", "").index(r.decision_key),
        r.collaboration.title.casefold(),
    ),
}
DEFAULT_SORT = "title"


def parse_sort(value: str | None, sorts: dict = SORTS) -> tuple[str, bool]:
    """``?sort=late`` or ``?sort=-late`` → (key, descending); anything else: the first key
    of ``sorts`` (the default), ascending."""
    value = (value or "").strip()
    descending = value.startswith("-")
    key = value.lstrip("-")
    if key not in sorts:
        return next(iter(sorts)), False
    return key, descending


def portfolio(user, *, sort: str = DEFAULT_SORT, descending: bool = False) -> list[PortfolioRow]:
    """Every collaboration the user belongs to, in six queries however many there are (eight with open proposals)."""
    memberships = list(
        Membership.objects.filter(user=user).select_related(
            "collaboration", "collaboration__diagnose_decision", "partner"
        )
    )
    ids = [m.collaboration_id for m in memberships]
    answers = current_answers(ids)
    late = dict(
        Milestone.objects.filter(late_milestones_q(timezone.localdate()), collaboration_id__in=ids)
        .order_by()
        .values("collaboration_id")
        .annotate(n=Count("pk"))
        .values_list("collaboration_id", "n")
    )
    last = last_activity(ids)
    proposals = open_proposals(ids)
    rows = []
    for membership in memberships:
        collaboration = membership.collaboration
        try:
            decision = collaboration.diagnose_decision
        except Decision.DoesNotExist:
            decision = None
        rows.append(
            PortfolioRow(
                membership=membership,
                collaboration=collaboration,
                overall=Overall.of(progress_from(answers[collaboration.pk])),
                late_milestones=late.get(collaboration.pk, 0),
                last_activity=last.get(collaboration.pk),
                decision=decision,
                open_proposals=proposals[collaboration.pk].proposals,
            )
        )
    rows.sort(key=lambda r: r.collaboration.title.casefold())  # stable tie-break
    rows.sort(key=SORTS[sort], reverse=descending)
    return rows
