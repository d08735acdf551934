import datetime

import pytest

from implement.models import Milestone
from tests.world import TODAY, make_milestone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("days_from_today", "status", "late"),
    [
        (-1, Milestone.Status.PLANNED, True),
        (-30, Milestone.Status.ON_TRACK, True),
        (-1, Milestone.Status.AT_RISK, True),
        (-1, Milestone.Status.ACHIEVED, False),
        (0, Milestone.Status.PLANNED, False),
        (10, Milestone.Status.AT_RISK, False),
    ],
)
def test_milestone_is_late_only_when_past_due_and_not_achieved(
    activity, days_from_today, status, late
):
    milestone = make_milestone(
        activity, due=TODAY + datetime.timedelta(days=days_from_today), status=status
    )
    assert milestone.is_late is late
    assert milestone.state == ("late" if late else status)


def test_late_is_not_a_status_anyone_can_type():
    assert "late" not in Milestone.Status.values


def test_milestone_turns_late_by_itself_as_days_pass(activity, monkeypatch):
    milestone = make_milestone(activity, due=TODAY + datetime.timedelta(days=3))
    assert not milestone.is_late
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda: TODAY + datetime.timedelta(days=4)
    )
    assert milestone.is_late
