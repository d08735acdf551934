"""Fixtures for Design rows and Implement/Assess records (shared by both test dirs).

The builders live in ``tests/world.py``; re-exported here for the files that import them.
"""

import pytest

from tests.world import (  # noqa: F401
    TODAY,
    make_activity,
    make_goal,
    make_indicator,
    make_milestone,
    make_partner,
    make_task,
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
    partner = make_partner(other_collab, "River Trust")
    activity = make_activity(other_collab, partner, title="Clean-up days")
    return {
        "partner": partner,
        "activity": activity,
        "goal": activity.goal,
        "indicator": make_indicator(other_collab, owner=partner, goal=activity.goal),
        "milestone": make_milestone(activity, title="Foreign milestone"),
    }
