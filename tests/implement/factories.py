"""Small factories for Design rows and Implement/Assess records (shared by both test dirs)."""

import datetime

import pytest

from design.models import Activity, Goal, Indicator, Task
from implement.models import Milestone

TODAY = datetime.date.today()


def make_goal(collaboration, title="Place 200 young people in paid work"):
    return Goal.objects.create(collaboration=collaboration, title=title)


def make_activity(collaboration, lead, goal=None, title="Summer placements"):
    return Activity.objects.create(
        collaboration=collaboration,
        goal=goal or make_goal(collaboration),
        title=title,
        lead=lead,
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2027, 1, 1),
    )


def make_indicator(collaboration, owner=None, goal=None, name="Young people placed"):
    return Indicator.objects.create(
        collaboration=collaboration,
        goal=goal or make_goal(collaboration),
        name=name,
        baseline=0,
        target=200,
        owner=owner,
    )


def make_task(activity, responsible, title="Recruit mentors"):
    return Task.objects.create(
        collaboration=activity.collaboration,
        activity=activity,
        title=title,
        responsible=responsible,
    )


def make_milestone(activity, title="First cohort starts", due=None, **fields):
    return Milestone.objects.create(
        collaboration=activity.collaboration,
        activity=activity,
        goal=activity.goal,
        title=title,
        due=due or TODAY + datetime.timedelta(days=30),
        **fields,
    )


@pytest.fixture
def goal(collab):
    return make_goal(collab)


@pytest.fixture
def activity(collab, partner_org, goal):
    """Led by the partner persona's organisation."""
    return make_activity(collab, partner_org, goal)


@pytest.fixture
def other_activity(collab, other_partner_org, goal):
    """Led by another organisation of the same collaboration."""
    return make_activity(collab, other_partner_org, goal, title="Employer outreach")


@pytest.fixture
def indicator(collab, partner_org, goal):
    return make_indicator(collab, owner=partner_org, goal=goal)


@pytest.fixture
def foreign(other_collab):
    """Rows of another collaboration that must never be choosable here."""
    from tests.conftest import make_partner

    partner = make_partner(other_collab, "River Trust")
    activity = make_activity(other_collab, partner, title="Clean-up days")
    return {
        "partner": partner,
        "activity": activity,
        "goal": activity.goal,
        "indicator": make_indicator(other_collab, owner=partner, goal=activity.goal),
        "milestone": make_milestone(activity, title="Foreign milestone"),
    }
