"""Reads for the Design artefacts; each ``*_context`` is an ``Artefact.context``. Every one
runs a fixed number of queries whatever the number of goals, activities or tasks."""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from django.db.models import Count, Prefetch
from django.utils import timezone

from diagnose.selectors import SECTOR_COLOURS
from intersector.collaborations.access import Access
from intersector.worksheets.inline import Window, list_rows
from intersector.worksheets.models import DecisionRule

from . import rules
from .models import Activity, Goal, Governance, Indicator, Task, Vision
from .sections import ROADMAP, TASKS


def vision_context(access: Access) -> dict:
    return {
        "vision": Vision.objects.filter(collaboration=access.collaboration)
        .select_related("updated_by")
        .first(),
        "can_edit": rules.can_manage(access),
    }


def goals_context(access: Access) -> dict:
    goals = Goal.objects.filter(collaboration=access.collaboration).annotate(
        indicator_count=Count("indicators", distinct=True),
        activity_count=Count("activities", distinct=True),
    )
    can_edit = rules.can_manage(access)
    return {"goals": list(goals), "can_edit": can_edit, "can_add": can_edit}


def indicators_context(access: Access) -> dict:
    indicators = Indicator.objects.select_related("owner").order_by("name")
    goals = list(
        Goal.objects.filter(collaboration=access.collaboration).prefetch_related(
            Prefetch("indicators", queryset=indicators)
        )
    )
    for goal in goals:
        for indicator in goal.indicators.all():
            indicator.can_edit = rules.can_edit_indicator(access, indicator)
    return {
        "goals": goals,
        "count": sum(len(g.indicators.all()) for g in goals),
        "can_add": bool(goals) and rules.can_add_owned(access),
    }


# Roadmap timeline geometry (SVG user units).
TL_WIDTH, TL_LEFT, TL_RIGHT, TL_TOP, TL_ROW = 760, 8, 752, 34, 46


@dataclass
class Bar:
    activity: Activity
    x: float
    y: float
    width: float
    label_y: float
    colour: str


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def timeline(activities: list[Activity], today: date | None = None) -> dict:
    """One bar per activity on a month axis spanning all of them."""
    if not activities:
        return {"bars": [], "ticks": [], "height": 0}
    today = today or timezone.localdate()
    first = _month_start(min(a.start for a in activities))
    last = _next_month(max(a.end for a in activities))
    span = max((last - first).days, 1)
    plot = TL_RIGHT - TL_LEFT

    def x(day: date) -> float:
        return round(TL_LEFT + (day - first).days / span * plot, 1)

    months = []
    day = first
    while day < last:
        months.append(day)
        day = _next_month(day)
    step = 1 if len(months) <= 12 else 3 if len(months) <= 36 else 12
    ticks = [
        {"x": x(m), "label": m.strftime("%b %Y") if (m.month == 1 or i == 0) else m.strftime("%b")}
        for i, m in enumerate(months)
        if i % step == 0
    ]
    bars = []
    for i, activity in enumerate(activities):
        top = TL_TOP + i * TL_ROW
        start_x = x(activity.start)
        end_x = x(activity.end + timedelta(days=1))
        bars.append(
            Bar(
                activity=activity,
                x=start_x,
                y=top + 20,
                width=max(round(end_x - start_x, 1), 4),
                label_y=top + 14,
                colour=SECTOR_COLOURS.get(activity.lead.sector, "#5b6675"),
            )
        )
    height = TL_TOP + len(activities) * TL_ROW + 8
    today_x = x(today) if first <= today < last else None
    return {
        "bars": bars,
        "ticks": ticks,
        "height": height,
        "width": TL_WIDTH,
        "today_x": today_x,
        "axis_y": TL_TOP - 10,
        "left": TL_LEFT,
        "right": TL_RIGHT,
    }


def roadmap_context(access: Access, window: Window | None = None) -> dict:
    """The activities in date order: with a ``window`` (the tool page) a page of them, the
    timeline drawing the same rows as the table."""
    activities = (
        Activity.objects.filter(collaboration=access.collaboration)
        .select_related("lead", "goal")
        .prefetch_related("supporting")
    )
    rows = list_rows(ROADMAP, access, activities, window) if window else None
    activities = rows.items if rows else list(activities)
    for activity in activities:
        activity.can_edit = rules.can_edit_activity(access, activity)
    # Every activity belongs to a goal, so only an empty roadmap asks.
    has_goals = bool(activities) or Goal.objects.filter(collaboration=access.collaboration).exists()
    return {
        "activities": activities,
        "rows": rows,
        "timeline": timeline(activities),
        "has_goals": has_goals,
        "can_add": has_goals and rules.can_add_owned(access),
    }


def partner_capabilities(access: Access) -> list:
    """Every engaged partner with what it brings and how many open tasks it holds: shown
    beside the task form, to choose who is responsible."""
    open_tasks = dict(
        Task.objects.filter(collaboration=access.collaboration)
        .exclude(status=Task.Status.DONE)
        .values_list("responsible")
        .annotate(n=Count("pk"))
        .order_by()
    )
    partners = list(access.collaboration.partners.exclude(engagement="declined"))
    for partner in partners:
        partner.open_tasks = open_tasks.get(partner.pk, 0)
    return partners


def responsibilities_context(access: Access, window: Window | None = None) -> dict:
    """The tasks in due-date order (a page of them with a ``window``). What each partner
    brings (``capabilities``) is read only when the template asks: beside an open task form."""
    tasks = Task.objects.filter(collaboration=access.collaboration).select_related(
        "activity", "responsible", "assignee"
    )
    rows = list_rows(TASKS, access, tasks, window) if window else None
    tasks = rows.items if rows else list(tasks)
    for task in tasks:
        task.can_edit = rules.can_edit_task(access, task)
    # Every task belongs to an activity, so only an empty list asks.
    has_activities = (
        bool(tasks) or Activity.objects.filter(collaboration=access.collaboration).exists()
    )
    return {
        "tasks": tasks,
        "rows": rows,
        "capabilities": partial(partner_capabilities, access),
        "has_activities": has_activities,
        "can_add": has_activities and rules.can_add_owned(access),
    }


def governance_context(access: Access) -> dict:
    return {
        "governance": Governance.objects.filter(collaboration=access.collaboration)
        .select_related("manager")
        .first(),
        "can_edit": rules.can_manage(access),
    }


def decision_rule_context(access: Access) -> dict:
    """The rule proposals on agreed answers are decided by (the defaults until it is set)."""
    return {"rule": DecisionRule.of(access.collaboration), "can_edit": rules.can_manage(access)}
