"""Every Implement and Assess section costs the same number of queries at any size."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assess.models import EvaluationPlan, Lesson, Measurement, Observation
from implement.models import Champion, FeedbackEntry, ProgressUpdate, ResourceIssue, Win
from tests.world import make_activity, make_indicator, make_milestone, make_partner, make_task

pytestmark = pytest.mark.django_db

PAGES = [
    "/c/youth-jobs/implement/tools/communicate-the-interdependency/",
    "/c/youth-jobs/implement/tools/sustain-capacity-and-champions/",
    "/c/youth-jobs/implement/tools/manage-expectations/",
    "/c/youth-jobs/assess/tools/define-the-intent-of-the-evaluation/",
    "/c/youth-jobs/assess/tools/evaluate-as-you-go/",
    "/c/youth-jobs/assess/tools/tell-the-story/",
]
SECTIONS = [
    ("implement", kind)
    for kind in ("milestones", "updates", "wins", "feedback", "issues", "champions")
] + [("assess", kind) for kind in ("measurements", "observations", "lessons")]


def grow(collab, user, n: int, start: int) -> None:
    for i in range(start, start + n):
        partner = make_partner(collab, f"Org {i}")
        activity = make_activity(collab, partner, title=f"Activity {i}")
        task = make_task(activity, partner, title=f"Task {i}")
        milestone = make_milestone(activity, title=f"Milestone {i}", due=datetime.date(2025, 1, 1))
        indicator = make_indicator(collab, owner=partner, goal=activity.goal, name=f"Ind {i}")
        measurement = Measurement.objects.create(
            collaboration=collab,
            indicator=indicator,
            value=i,
            measured_on=datetime.date(2025, 1, 1),
            created_by=user,
        )
        ProgressUpdate.objects.create(
            collaboration=collab,
            task=task,
            activity=activity,
            summary="s",
            created_by=user,
            created_for=partner,
        )
        feedback = FeedbackEntry.objects.create(
            collaboration=collab, source="x", heard="h", source_partner=partner, created_by=user
        )
        ResourceIssue.objects.create(
            collaboration=collab, title=f"Issue {i}", owner=partner, created_by=user
        )
        Champion.objects.create(
            collaboration=collab, name=f"Champ {i}", partner=partner, created_by=user
        )
        Win.objects.create(
            collaboration=collab, title=f"Win {i}", milestone=milestone, created_for=partner
        )
        Observation.objects.create(
            collaboration=collab, kind="success", title="o", created_by=user, created_for=partner
        )
        lesson = Lesson.objects.create(
            collaboration=collab, title=f"L {i}", evidence="e", recommendation="r", created_by=user
        )
        lesson.milestones.add(milestone)
        lesson.feedback.add(feedback)
        lesson.measurements.add(measurement)


def count(client, path, **headers) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, **headers)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["facilitator_client", "partner_client"])
def test_tool_pages_and_sections_cost_constant_queries(
    request, who, collab, facilitator, partner_user
):
    client = request.getfixturevalue(who)
    EvaluationPlan.objects.create(
        collaboration=collab,
        purpose="both",
        methodology="logic_model",
        questions="q",
        evaluator="internal",
    )
    grow(collab, facilitator, 2, 0)
    small = {p: count(client, p) for p in PAGES}
    small_sections = {
        (stage, kind): count(client, f"/c/youth-jobs/{stage}/{kind}/", HTTP_HX_REQUEST="true")
        for stage, kind in SECTIONS
    }
    grow(collab, partner_user, 12, 2)
    large = {p: count(client, p) for p in PAGES}
    large_sections = {
        (stage, kind): count(client, f"/c/youth-jobs/{stage}/{kind}/", HTTP_HX_REQUEST="true")
        for stage, kind in SECTIONS
    }
    assert large == small
    assert large_sections == small_sections
    assert max(large.values()) <= 20
