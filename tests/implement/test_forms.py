import datetime

import pytest

from implement.forms import MilestoneForm, ProgressUpdateForm, ResourceIssueForm, WinForm
from intersector.collaborations.access import Access
from intersector.collaborations.models import Membership
from tests.world import TODAY, make_milestone, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def access(facilitator, collab):
    return Access(collab, Membership.objects.get(user=facilitator, collaboration=collab))


def test_milestone_needs_an_activity_or_a_goal(access):
    form = MilestoneForm({"title": "x", "due": "2026-01-01", "status": "planned"}, access=access)
    assert not form.is_valid()
    assert "activity" in form.errors


def test_milestone_takes_its_goal_from_its_activity(access, activity):
    form = MilestoneForm(
        {"title": "x", "activity": activity.pk, "due": "2026-01-01", "status": "planned"},
        access=access,
    )
    assert form.is_valid(), form.errors
    assert form.save().goal == activity.goal


def test_marking_achieved_without_a_date_uses_today(access, activity):
    form = MilestoneForm(
        {"title": "x", "activity": activity.pk, "due": "2026-01-01", "status": "achieved"},
        access=access,
    )
    assert form.is_valid(), form.errors
    assert form.save().achieved_on == TODAY


@pytest.mark.parametrize(
    ("status", "achieved_on", "field"),
    [
        ("planned", "2025-01-01", "achieved_on"),
        ("achieved", (TODAY + datetime.timedelta(days=2)).isoformat(), "achieved_on"),
    ],
)
def test_achieved_date_rules(access, activity, status, achieved_on, field):
    form = MilestoneForm(
        {
            "title": "x",
            "activity": activity.pk,
            "due": "2026-01-01",
            "status": status,
            "achieved_on": achieved_on,
        },
        access=access,
    )
    assert not form.is_valid()
    assert field in form.errors


def test_late_cannot_be_posted_as_a_status(access, activity):
    form = MilestoneForm(
        {"title": "x", "activity": activity.pk, "due": "2026-01-01", "status": "late"},
        access=access,
    )
    assert not form.is_valid()
    assert "status" in form.errors


def test_another_collaborations_activity_goal_or_milestone_cannot_be_chosen(access, foreign):
    form = MilestoneForm(
        {
            "title": "x",
            "activity": foreign["activity"].pk,
            "goal": foreign["goal"].pk,
            "due": "2026-01-01",
            "status": "planned",
        },
        access=access,
    )
    assert not form.is_valid()
    assert {"activity", "goal"} <= set(form.errors)
    win = WinForm(
        {"title": "w", "celebrated_on": "2025-01-01", "milestone": foreign["milestone"].pk},
        access=access,
    )
    assert not win.is_valid()
    assert "milestone" in win.errors
    issue = ResourceIssueForm(
        {"title": "t", "status": "open", "owner": foreign["partner"].pk}, access=access
    )
    assert not issue.is_valid()
    assert "owner" in issue.errors


def test_update_task_must_belong_to_the_activity(access, activity, other_activity, partner_org):
    task = make_task(other_activity, partner_org)
    form = ProgressUpdateForm(
        {"date": "2025-05-01", "activity": activity.pk, "task": task.pk, "summary": "Done"},
        access=access,
    )
    assert not form.is_valid()
    assert "task" in form.errors


def test_update_cannot_be_dated_in_the_future(access, activity):
    form = ProgressUpdateForm(
        {
            "date": (TODAY + datetime.timedelta(days=1)).isoformat(),
            "activity": activity.pk,
            "summary": "Done",
        },
        access=access,
    )
    assert not form.is_valid()
    assert "date" in form.errors


def test_resolved_issue_needs_its_solution(access):
    form = ResourceIssueForm({"title": "t", "status": "resolved"}, access=access)
    assert not form.is_valid()
    assert "solution" in form.errors


def test_win_can_celebrate_a_milestone(access, activity):
    milestone = make_milestone(activity)
    form = WinForm(
        {"title": "w", "celebrated_on": "2025-01-01", "milestone": milestone.pk}, access=access
    )
    assert form.is_valid(), form.errors
