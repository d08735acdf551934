"""Reads for the dashboards. Every function runs a fixed number of queries, however many
partners, answers, milestones or collaborations there are (tests/dashboards prove it).

Progress is never counted here: it comes from ``worksheets.selectors`` (``current_answers``
and ``progress_from``), the same functions the overview and the stage pages use.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import CharField, Count, F, Max, Q, Value
from django.db.models.functions import Cast, Left
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assess.charts import indicator_chart
from assess.models import Measurement
from design.models import Indicator, Task
from diagnose.models import Decision
from implement.models import Milestone, ProgressUpdate, Win
from intersector.collaborations.models import Collaboration, Membership, Partner, Sector, Stage
from intersector.worksheets.models import Comment, Consensus, Perspective, StageMove
from intersector.worksheets.selectors import (
    CurrentAnswers,
    StageProgress,
    current_answers,
    dom_id,
    is_newest_version,
    progress_from,
)
from intersector.worksheets.toolkit import questions_by_key

FEED_PAGE_SIZE = 20


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


# Participation ----------------------------------------------------------------------------


@dataclass
class PartnerParticipation:
    partner: Partner
    perspectives: int
    last_activity: datetime.datetime | None

    @property
    def has_contributed(self) -> bool:
        return self.perspectives > 0


@dataclass
class SectorParticipation:
    sector: str
    label: str
    partners: int = 0
    contributed: int = 0
    perspectives: int = 0
    last_activity: datetime.datetime | None = None


@dataclass
class Participation:
    partners: list[PartnerParticipation]
    sectors: list[SectorParticipation]

    @property
    def not_contributed(self) -> list[PartnerParticipation]:
        return [row for row in self.partners if not row.has_contributed]

    @property
    def contributed(self) -> int:
        return sum(row.has_contributed for row in self.partners)


# Records written for an organisation (``Authored.created_for``) count as its activity too.
_AUTHORED = (Win, ProgressUpdate, Milestone, Measurement)


def _partner_last_activity(collaboration: Collaboration) -> dict[int, datetime.datetime]:
    """Newest answer or record per partner organisation, in one query."""
    branches = [
        Perspective.objects.filter(collaboration=collaboration)
        .order_by()
        .values(pid=F("partner_id"))
        .annotate(last=Max("created_at"))
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


def participation(collaboration: Collaboration, answers: CurrentAnswers) -> Participation:
    """Perspectives and last activity per organisation and per sector (two queries)."""
    counts = answers.perspectives_by_partner()
    last = _partner_last_activity(collaboration)
    rows = [
        PartnerParticipation(
            partner=partner,
            perspectives=counts.get(partner.pk, 0),
            last_activity=last.get(partner.pk),
        )
        for partner in Partner.objects.filter(collaboration=collaboration).order_by("name", "pk")
    ]
    sectors = {s.value: SectorParticipation(sector=s.value, label=s.label) for s in Sector}
    for row in rows:
        sector = sectors[row.partner.sector]
        sector.partners += 1
        sector.contributed += row.has_contributed
        sector.perspectives += row.perspectives
        if row.last_activity and (
            sector.last_activity is None or row.last_activity > sector.last_activity
        ):
            sector.last_activity = row.last_activity
    return Participation(partners=rows, sectors=[s for s in sectors.values() if s.partners])


# Delivery ---------------------------------------------------------------------------------

MILESTONE_STATES = ("late", "at_risk", "on_track", "planned", "achieved")


def late_milestones_q(today: datetime.date) -> Q:
    """The database form of ``Milestone.is_late``: not achieved and past its due date."""
    return Q(due__lt=today) & ~Q(status=Milestone.Status.ACHIEVED)


@dataclass
class PartnerTasks:
    partner: Partner
    open: int = 0
    overdue: int = 0
    blocked: int = 0
    next_due: datetime.date | None = None


@dataclass
class Delivery:
    milestone_counts: dict[str, int]
    attention: list[Milestone]  # late (oldest first), then at risk (soonest first)
    upcoming: list[Milestone]  # on track or planned, soonest first
    tasks_by_partner: list[PartnerTasks]  # most overdue first
    overdue_tasks: list[Task]
    open_tasks: int

    @property
    def milestones(self) -> int:
        return sum(self.milestone_counts.values())

    @property
    def late(self) -> int:
        return self.milestone_counts["late"]

    @property
    def overdue_task_count(self) -> int:
        return sum(row.overdue for row in self.tasks_by_partner)

    @property
    def state_tally(self) -> list[tuple[str, str, int]]:
        labels = {"late": _("Late"), **dict(Milestone.Status.choices)}
        return [(state, labels[state], self.milestone_counts[state]) for state in MILESTONE_STATES]


def delivery(collaboration: Collaboration, *, upcoming: int = 5, overdue: int = 10) -> Delivery:
    """Milestones by state and open tasks by responsible partner (two queries)."""
    today = timezone.localdate()
    milestones = list(
        Milestone.objects.filter(collaboration=collaboration).select_related("activity__lead")
    )
    counts = dict.fromkeys(MILESTONE_STATES, 0)
    for milestone in milestones:
        counts[milestone.state] += 1
    late = sorted((m for m in milestones if m.is_late), key=lambda m: (m.due, m.pk))
    at_risk = sorted((m for m in milestones if m.state == "at_risk"), key=lambda m: (m.due, m.pk))
    ahead = sorted(
        (m for m in milestones if m.state in ("on_track", "planned")), key=lambda m: (m.due, m.pk)
    )

    tasks = list(
        Task.objects.filter(collaboration=collaboration)
        .exclude(status=Task.Status.DONE)
        .select_related("responsible", "activity")
    )
    by_partner: dict[int, PartnerTasks] = {}
    overdue_tasks = []
    for task in tasks:
        row = by_partner.setdefault(task.responsible_id, PartnerTasks(partner=task.responsible))
        row.open += 1
        row.blocked += task.status == Task.Status.BLOCKED
        if task.due and task.due < today:
            row.overdue += 1
            overdue_tasks.append(task)
        elif task.due and (row.next_due is None or task.due < row.next_due):
            row.next_due = task.due
    overdue_tasks.sort(key=lambda t: (t.due, t.pk))
    return Delivery(
        milestone_counts=counts,
        attention=late + at_risk,
        upcoming=ahead[:upcoming],
        tasks_by_partner=sorted(
            by_partner.values(), key=lambda r: (-r.overdue, -r.open, r.partner.name)
        ),
        overdue_tasks=overdue_tasks[:overdue],
        open_tasks=len(tasks),
    )


# Results ----------------------------------------------------------------------------------


@dataclass
class IndicatorResult:
    indicator: Indicator
    measurements: list[Measurement]
    chart: dict

    @property
    def latest(self) -> Measurement | None:
        return self.measurements[-1] if self.measurements else None

    @property
    def percent_to_target(self) -> int | None:
        """How far the latest measurement has come from baseline towards target."""
        latest, ind = self.latest, self.indicator
        if latest is None or ind.target == ind.baseline:
            return None
        share = (latest.value - ind.baseline) / (ind.target - ind.baseline)
        return round(100 * share)


def results(collaboration: Collaboration) -> list[IndicatorResult]:
    """Each indicator with its measurements (oldest first) and chart (two queries)."""
    by_indicator: dict[int, list[Measurement]] = defaultdict(list)
    for measurement in Measurement.objects.filter(collaboration=collaboration).order_by(
        "indicator_id", "measured_on"
    ):
        by_indicator[measurement.indicator_id].append(measurement)
    out = []
    for indicator in Indicator.objects.filter(collaboration=collaboration).select_related(
        "owner", "goal"
    ):
        rows = by_indicator.get(indicator.pk, [])
        out.append(IndicatorResult(indicator, rows, indicator_chart(indicator, rows)))
    return out


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


def _text(value: str) -> Value:
    return Value(value, output_field=CharField())


def _branch(qs, kind: str, *, at: str, who: str, organisation, subject, detail):
    """One source of the feed as the seven columns the union needs, in a fixed order."""
    return qs.order_by().values(
        kind=_text(kind),
        at=F(at),
        who=F(who),
        organisation=organisation,
        subject=subject,
        detail=detail,
    )


def _latest_versions(qs, collaboration: Collaboration, *identity: str):
    return qs.filter(is_newest_version(qs.model, identity, [collaboration.pk]))


def _feed_union(collaboration: Collaboration):
    c = collaboration
    blank = _text("")
    answers = _latest_versions(
        Perspective.objects.filter(collaboration=c).exclude(text=""),
        c,
        "collaboration",
        "question_key",
        "partner",
    )
    agreed = _latest_versions(
        Consensus.objects.filter(collaboration=c).exclude(status=Consensus.Status.OPEN, text=""),
        c,
        "collaboration",
        "question_key",
    )
    branches = [
        _branch(
            answers,
            "answer",
            at="created_at",
            who="author__full_name",
            organisation=F("partner__name"),
            subject=F("question_key"),
            detail=blank,
        ),
        _branch(
            agreed,
            "consensus",
            at="created_at",
            who="author__full_name",
            organisation=blank,
            subject=F("question_key"),
            detail=F("status"),
        ),
        _branch(
            Comment.objects.filter(collaboration=c),
            "comment",
            at="created_at",
            who="author__full_name",
            organisation=blank,
            subject=F("question_key"),
            detail=Left("text", 160),
        ),
        _branch(
            StageMove.objects.filter(collaboration=c),
            "stage_move",
            at="moved_at",
            who="moved_by__full_name",
            organisation=blank,
            subject=F("from_stage"),
            detail=F("to_stage"),
        ),
        _branch(
            Win.objects.filter(collaboration=c),
            "win",
            at="created_at",
            who="created_by__full_name",
            organisation=F("created_for__name"),
            subject=F("title"),
            detail=blank,
        ),
        _branch(
            ProgressUpdate.objects.filter(collaboration=c),
            "update",
            at="created_at",
            who="created_by__full_name",
            organisation=F("created_for__name"),
            subject=Left("summary", 160),
            detail=blank,
        ),
        _branch(
            Measurement.objects.filter(collaboration=c),
            "measurement",
            at="created_at",
            who="created_by__full_name",
            organisation=F("created_for__name"),
            subject=F("indicator__name"),
            detail=Cast("value", CharField()),
        ),
    ]
    return branches[0].union(*branches[1:], all=True)


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
    start = (page - 1) * FEED_PAGE_SIZE
    rows = list(_feed_union(collaboration).order_by("-at")[start : start + FEED_PAGE_SIZE + 1])
    questions = questions_by_key()
    items = []
    for row in rows[:FEED_PAGE_SIZE]:
        item = FeedItem(
            **{k: row[k] or "" for k in ("kind", "who", "organisation", "subject")},
            at=row["at"],
            detail=row["detail"] or "",
        )
        if item.kind in ("answer", "consensus", "comment") and item.subject in questions:
            item.question = questions[item.subject]
            stage, tool, _question = item.question
            item.url = (
                reverse(
                    f"{stage.key}:tool", kwargs={"slug": collaboration.slug, "tool_slug": tool.slug}
                )
                + "#"
                + dom_id(item.subject)
            )
        if item.kind == "measurement" and item.detail:
            item.detail = f"{Decimal(item.detail).normalize():f}"
        items.append(item)
    return FeedPage(items=items, number=page, has_next=len(rows) > FEED_PAGE_SIZE)


def last_activity(collaboration_ids) -> dict[int, datetime.datetime]:
    """The newest feed entry of each collaboration, in one query."""
    sources = (
        (Perspective, "created_at"),
        (Consensus, "created_at"),
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


@dataclass
class CollaborationDashboard:
    collaboration: Collaboration
    progress: dict[str, StageProgress]
    overall: Overall
    participation: Participation
    delivery: Delivery
    results: list[IndicatorResult]
    feed: FeedPage
    last_activity: datetime.datetime | None = None
    extra: dict = field(default_factory=dict)


def collaboration_dashboard(
    collaboration: Collaboration, *, page: int = 1
) -> CollaborationDashboard:
    answers = current_answers([collaboration.pk])[collaboration.pk]
    progress = progress_from(answers)
    feed = activity_feed(collaboration, page)
    return CollaborationDashboard(
        collaboration=collaboration,
        progress=progress,
        overall=Overall.of(progress),
        participation=participation(collaboration, answers),
        delivery=delivery(collaboration),
        results=results(collaboration),
        feed=feed,
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


def parse_sort(value: str | None) -> tuple[str, bool]:
    """``?sort=late`` or ``?sort=-late`` → (key, descending); anything else: the default."""
    value = (value or "").strip()
    descending = value.startswith("-")
    key = value.lstrip("-")
    if key not in SORTS:
        return DEFAULT_SORT, False
    return key, descending


def portfolio(user, *, sort: str = DEFAULT_SORT, descending: bool = False) -> list[PortfolioRow]:
    """Every collaboration the user belongs to, in five queries however many there are."""
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
            )
        )
    rows.sort(key=lambda r: r.collaboration.title.casefold())  # stable tie-break
    rows.sort(key=SORTS[sort], reverse=descending)
    return rows
