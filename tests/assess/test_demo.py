import io

import pytest
from django.core.management import call_command

from assess.models import EvaluationPlan, Lesson, Measurement, Observation
from design.models import Activity, Goal, Indicator
from implement.models import Champion, FeedbackEntry, Milestone, ProgressUpdate, ResourceIssue, Win

MODELS = [
    Goal,
    Activity,
    Indicator,
    Milestone,
    ProgressUpdate,
    FeedbackEntry,
    ResourceIssue,
    Champion,
    Win,
    EvaluationPlan,
    Measurement,
    Observation,
    Lesson,
]


@pytest.mark.django_db
def test_demo_fills_every_implement_and_assess_tool_and_running_twice_duplicates_nothing():
    call_command("seed_demo", stdout=io.StringIO())
    first = {m: m.objects.count() for m in MODELS}
    assert all(first.values()), first
    call_command("seed_demo", stdout=io.StringIO())
    assert {m: m.objects.count() for m in MODELS} == first
    assert Lesson.objects.filter(milestones__isnull=False).exists()
