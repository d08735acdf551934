import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assess.charts import indicator_chart
from assess.forms import LessonForm, MeasurementForm
from assess.models import METHOD_EXPLANATIONS, EvaluationPlan, Lesson, Measurement, Methodology
from implement.models import FeedbackEntry
from intersector.collaborations.access import Access
from intersector.collaborations.models import Membership
from tests.world import TODAY, make_indicator, make_milestone

pytestmark = pytest.mark.django_db
SLUG = "youth-jobs"
EVALUATE = "/c/youth-jobs/assess/tools/evaluate-as-you-go/"


def url(name, **kwargs):
    return reverse(f"assess:{name}", kwargs={"slug": SLUG, **kwargs})


@pytest.fixture
def access(facilitator, collab):
    return Access(collab, Membership.objects.get(user=facilitator, collaboration=collab))


def measure(indicator, value, date="2025-06-30"):
    return Measurement.objects.create(
        collaboration=indicator.collaboration,
        indicator=indicator,
        value=value,
        measured_on=datetime.date.fromisoformat(date),
    )


# Model and form rules


def test_measurement_must_belong_to_an_indicator_of_the_same_collaboration(collab, foreign):
    measurement = Measurement(collaboration=collab, indicator=foreign["indicator"], value=1)
    with pytest.raises(ValidationError) as exc:
        measurement.full_clean()
    assert "indicator" in exc.value.message_dict


def test_measurement_form_refuses_another_collaborations_indicator(access, foreign):
    form = MeasurementForm(
        {"indicator": foreign["indicator"].pk, "measured_on": "2025-01-01", "value": "3"},
        access=access,
    )
    assert not form.is_valid()
    assert "indicator" in form.errors


def test_measurement_form_rules(access, indicator):
    future = (TODAY + datetime.timedelta(days=1)).isoformat()
    form = MeasurementForm(
        {"indicator": indicator.pk, "measured_on": future, "value": "3"}, access=access
    )
    assert "measured_on" in form.errors
    form = MeasurementForm(
        {"indicator": indicator.pk, "measured_on": "2025-01-01", "value": "lots"}, access=access
    )
    assert "value" in form.errors
    measure(indicator, 1, "2025-01-01")
    form = MeasurementForm(
        {"indicator": indicator.pk, "measured_on": "2025-01-01", "value": "3"}, access=access
    )
    assert not form.is_valid()  # one value per indicator and day


def test_lesson_can_only_cite_this_collaborations_records(
    access, foreign, activity, indicator, collab
):
    own = make_milestone(activity)
    form = LessonForm(
        {
            "title": "t",
            "audience": "shareable",
            "evidence": "e",
            "recommendation": "r",
            "milestones": [own.pk, foreign["milestone"].pk],
        },
        access=access,
    )
    assert not form.is_valid()
    assert "milestones" in form.errors
    feedback = FeedbackEntry.objects.create(collaboration=collab, source="s", heard="h")
    form = LessonForm(
        {
            "title": "t",
            "audience": "internal",
            "evidence": "e",
            "recommendation": "r",
            "milestones": [own.pk],
            "feedback": [feedback.pk],
            "measurements": [measure(indicator, 4).pk],
        },
        access=access,
    )
    assert form.is_valid(), form.errors


def test_every_methodology_has_a_one_line_explanation():
    assert set(METHOD_EXPLANATIONS) == set(Methodology.values)
    assert all(len(str(text)) < 160 for text in METHOD_EXPLANATIONS.values())


# Chart


def test_chart_draws_one_mark_per_measurement(facilitator_client, indicator):
    for i, date in enumerate(["2025-01-31", "2025-04-30", "2025-07-31", "2025-10-31"]):
        measure(indicator, i * 10, date)
    html = facilitator_client.get(EVALUATE).content.decode()
    svg = re.search(r"<svg class=\"chart\".*?</svg>", html, re.S).group(0)
    assert svg.count('class="mark"') == 4
    assert 'role="img"' in svg and "<title" in svg
    assert "style=" not in svg
    # The same data as an accessible table.
    assert "<caption>Measurements of Young people placed</caption>" in html
    assert html.count('id="measurement-') == 4


def test_chart_places_target_above_baseline_for_a_rising_indicator(indicator):
    chart = indicator_chart(indicator, [measure(indicator, 50)])
    assert chart["target_y"] < chart["baseline_y"]  # SVG y grows downwards
    assert len(chart["points"]) == 1


def test_chart_of_an_unmeasured_indicator_has_no_marks(indicator):
    assert indicator_chart(indicator, [])["points"] == []


# Permissions


def test_partner_records_measurements_of_indicators_their_organisation_owns(
    partner_client, indicator, collab, other_partner_org
):
    response = partner_client.post(
        url("add", kind="measurements"),
        {"indicator": indicator.pk, "measured_on": "2025-05-01", "value": "12"},
    )
    assert response.status_code == 302
    theirs = make_indicator(collab, owner=other_partner_org, goal=indicator.goal, name="Theirs")
    response = partner_client.post(
        url("add", kind="measurements"),
        {"indicator": theirs.pk, "measured_on": "2025-05-01", "value": "12"},
    )
    assert response.status_code == 422
    assert "indicators their organisation owns" in response.content.decode()
    assert Measurement.objects.count() == 1


def test_observer_reads_measurements_but_cannot_record(observer_client, indicator):
    measure(indicator, 5)
    assert observer_client.get(EVALUATE).status_code == 200
    response = observer_client.post(
        url("add", kind="measurements"),
        {"indicator": indicator.pk, "measured_on": "2025-05-01", "value": "1"},
    )
    assert response.status_code == 403


def test_outsider_gets_404(outsider_client, indicator):
    m = measure(indicator, 5)
    for target in [
        EVALUATE,
        url("plan-edit"),
        url("edit", kind="measurements", pk=m.pk),
        url("section", kind="lessons"),
    ]:
        assert outsider_client.get(target).status_code == 404


def test_only_facilitators_record_the_evaluation_plan(
    facilitator_client, partner_client, observer_client, collab
):
    data = {
        "purpose": "both",
        "methodology": "outcome_harvesting",
        "questions": "What changed?\nFor whom?",
        "evaluator": "external",
        "evaluator_name": "College team",
    }
    assert partner_client.post(url("plan-edit"), data).status_code == 403
    assert observer_client.get(url("plan-edit")).status_code == 403
    response = facilitator_client.post(url("plan-edit"), data)
    assert response.status_code == 302
    plan = EvaluationPlan.objects.get(collaboration=collab)
    assert plan.question_list == ["What changed?", "For whom?"]
    page = facilitator_client.get("/c/youth-jobs/assess/tools/define-the-intent-of-the-evaluation/")
    assert "Outcome harvesting" in page.content.decode()
    bad = facilitator_client.post(
        url("plan-edit"), {**data, "methodology": "astrology"}, HTTP_HX_REQUEST="true"
    )
    assert bad.status_code == 422
    assert "Select a valid choice" in bad.content.decode()


# Deleting cited records


def test_deleting_a_measurement_a_lesson_cites_is_refused(facilitator_client, indicator, collab):
    m = measure(indicator, 5)
    lesson = Lesson.objects.create(
        collaboration=collab, title="L", evidence="e", recommendation="r"
    )
    lesson.measurements.add(m)
    response = facilitator_client.post(url("delete", kind="measurements", pk=m.pk))
    assert response.status_code == 409
    assert "lesson cites it" in response.content.decode()
    assert Measurement.objects.filter(pk=m.pk).exists()


def test_deleting_feedback_a_lesson_cites_is_refused(facilitator_client, collab):
    feedback = FeedbackEntry.objects.create(collaboration=collab, source="s", heard="h")
    Lesson.objects.create(
        collaboration=collab, title="L", evidence="e", recommendation="r"
    ).feedback.add(feedback)
    response = facilitator_client.post(
        reverse("implement:delete", kwargs={"slug": SLUG, "kind": "feedback", "pk": feedback.pk})
    )
    assert response.status_code == 409
    assert FeedbackEntry.objects.filter(pk=feedback.pk).exists()


def test_deleting_a_lesson_keeps_what_it_cited(facilitator_client, collab, activity):
    milestone = make_milestone(activity)
    lesson = Lesson.objects.create(
        collaboration=collab, title="L", evidence="e", recommendation="r"
    )
    lesson.milestones.add(milestone)
    assert facilitator_client.post(url("delete", kind="lessons", pk=lesson.pk)).status_code == 302
    milestone.refresh_from_db()
