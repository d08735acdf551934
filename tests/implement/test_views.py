import datetime

import pytest
from django.urls import reverse

from implement.models import FeedbackEntry, Milestone, Win
from tests.world import TODAY, make_milestone

pytestmark = pytest.mark.django_db
SLUG = "youth-jobs"
TOOL = "/c/youth-jobs/implement/tools/manage-expectations/"


def url(name, **kwargs):
    return reverse(f"implement:{name}", kwargs={"slug": SLUG, **kwargs})


def milestone_data(activity, **overrides):
    data = {
        "title": "Cohort two starts",
        "activity": activity.pk,
        "due": "2027-03-01",
        "status": "planned",
    }
    data.update(overrides)
    return data


def test_facilitator_adds_milestone_without_js_and_returns_to_the_section(
    facilitator_client, activity
):
    response = facilitator_client.post(url("add", kind="milestones"), milestone_data(activity))
    assert response.status_code == 302
    assert response["Location"] == TOOL + "#artefact-milestones"
    page = facilitator_client.get(response["Location"])
    assert "Cohort two starts" in page.content.decode()


def test_htmx_add_answers_the_section_partial(facilitator_client, activity):
    response = facilitator_client.post(
        url("add", kind="milestones"), milestone_data(activity), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="milestones-section"' in html and "<html" not in html
    assert response["HX-Retarget"] == "#milestones-section"


def test_invalid_add_shows_errors_next_to_the_field(facilitator_client, activity):
    response = facilitator_client.post(
        url("add", kind="milestones"),
        milestone_data(activity, due="not a date"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "Enter a valid date." in response.content.decode()
    plain = facilitator_client.post(
        url("add", kind="milestones"), milestone_data(activity, title="")
    )
    assert plain.status_code == 422
    assert "This field is required." in plain.content.decode()
    assert not Milestone.objects.exists()


def test_marking_a_milestone_achieved(facilitator_client, activity):
    milestone = make_milestone(activity, due=TODAY - datetime.timedelta(days=3))
    assert milestone.is_late
    response = facilitator_client.post(
        url("edit", kind="milestones", pk=milestone.pk),
        milestone_data(
            activity, title=milestone.title, due=milestone.due.isoformat(), status="achieved"
        ),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    milestone.refresh_from_db()
    assert milestone.achieved_on == TODAY and not milestone.is_late
    assert "Achieved" in response.content.decode()


def test_late_milestone_shows_late(facilitator_client, activity):
    make_milestone(activity, title="Overdue thing", due=TODAY - datetime.timedelta(days=1))
    html = facilitator_client.get(TOOL).content.decode()
    assert "pill--late" in html


def test_partner_edits_milestones_of_activities_their_organisation_leads_only(
    partner_client, activity, other_activity
):
    mine = make_milestone(activity, title="Mine")
    theirs = make_milestone(other_activity, title="Theirs")
    assert partner_client.get(url("edit", kind="milestones", pk=mine.pk)).status_code == 200
    assert partner_client.get(url("edit", kind="milestones", pk=theirs.pk)).status_code == 403
    assert partner_client.post(url("delete", kind="milestones", pk=theirs.pk)).status_code == 403
    # Nor can they add one to (or move theirs onto) an activity another organisation leads.
    response = partner_client.post(url("add", kind="milestones"), milestone_data(other_activity))
    assert response.status_code == 422
    assert "activities their organisation leads" in response.content.decode()
    response = partner_client.post(
        url("edit", kind="milestones", pk=mine.pk), milestone_data(other_activity, title="Mine")
    )
    assert response.status_code == 422
    assert Milestone.objects.get(pk=mine.pk).activity == activity


def test_partner_edits_the_feedback_they_wrote_but_not_others(
    partner_client, facilitator, partner_user, collab
):
    own = FeedbackEntry.objects.create(
        collaboration=collab, source="Parents", heard="A", created_by=partner_user
    )
    other = FeedbackEntry.objects.create(
        collaboration=collab, source="Mentors", heard="B", created_by=facilitator
    )
    assert partner_client.get(url("edit", kind="feedback", pk=own.pk)).status_code == 200
    assert partner_client.get(url("edit", kind="feedback", pk=other.pk)).status_code == 403


def test_partner_adding_feedback_becomes_its_author(partner_client, partner_user, partner_org):
    response = partner_client.post(
        url("add", kind="feedback"),
        {"heard_on": "2025-06-01", "source": "Parents", "heard": "Buses are too early"},
    )
    assert response.status_code == 302
    entry = FeedbackEntry.objects.get()
    assert entry.created_by == partner_user and entry.created_for == partner_org


def test_observer_reads_but_cannot_write(observer_client, activity):
    milestone = make_milestone(activity)
    page = observer_client.get(TOOL)
    assert page.status_code == 200 and milestone.title in page.content.decode()
    assert "Add a milestone" not in page.content.decode()
    assert (
        observer_client.post(url("add", kind="milestones"), milestone_data(activity)).status_code
        == 403
    )
    assert observer_client.get(url("edit", kind="milestones", pk=milestone.pk)).status_code == 403


def test_outsider_gets_404_everywhere(outsider_client, activity):
    milestone = make_milestone(activity)
    for target in [
        TOOL,
        url("section", kind="milestones"),
        url("add", kind="milestones"),
        url("edit", kind="milestones", pk=milestone.pk),
        url("delete", kind="milestones", pk=milestone.pk),
    ]:
        assert outsider_client.get(target).status_code == 404, target
    assert (
        outsider_client.post(url("add", kind="milestones"), milestone_data(activity)).status_code
        == 404
    )


def test_anonymous_is_sent_to_sign_in(client, activity):
    response = client.get(url("add", kind="milestones"))
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_records_of_another_collaboration_are_404(facilitator_client, foreign):
    response = facilitator_client.get(url("edit", kind="milestones", pk=foreign["milestone"].pk))
    assert response.status_code == 404


def test_unknown_kind_is_404(facilitator_client):
    assert facilitator_client.get(url("add", kind="nonsense")).status_code == 404


def test_deleting_a_milestone_a_win_celebrates_is_refused_with_a_reason(
    facilitator_client, activity, collab
):
    milestone = make_milestone(activity)
    Win.objects.create(collaboration=collab, title="Yay", milestone=milestone)
    response = facilitator_client.post(url("delete", kind="milestones", pk=milestone.pk))
    assert response.status_code == 409
    assert "1 win celebrates it" in response.content.decode()
    assert Milestone.objects.filter(pk=milestone.pk).exists()


def test_deleting_a_milestone_a_lesson_cites_is_refused(facilitator_client, activity, collab):
    from assess.models import Lesson

    milestone = make_milestone(activity)
    lesson = Lesson.objects.create(
        collaboration=collab, title="L", evidence="e", recommendation="r"
    )
    lesson.milestones.add(milestone)
    response = facilitator_client.post(url("delete", kind="milestones", pk=milestone.pk))
    assert response.status_code == 409
    assert "1 lesson cites it" in response.content.decode()
    assert lesson.milestones.count() == 1


def test_deleting_an_uncited_milestone_after_confirmation(facilitator_client, activity):
    milestone = make_milestone(activity)
    assert (
        facilitator_client.get(url("delete", kind="milestones", pk=milestone.pk)).status_code == 200
    )
    response = facilitator_client.post(url("delete", kind="milestones", pk=milestone.pk))
    assert response.status_code == 302
    assert not Milestone.objects.exists()


def test_user_text_is_escaped(facilitator_client, activity):
    make_milestone(activity, title="<script>alert(1)</script>")
    html = facilitator_client.get(TOOL).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
