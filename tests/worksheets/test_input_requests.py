"""Input requests: a facilitator asks organisations for their perspectives on a tool by a
date; they hear of it, see it under "Waiting for you", are reminded while they have not
answered, and the facilitators are told who answered when it closes."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from intersector.collaborations.access import Access
from intersector.collaborations.models import Membership, Role, Sector
from intersector.notifications.models import Notification
from intersector.worksheets.models import InputRequest
from intersector.worksheets.services import (
    input_request_create,
    input_requests_close,
    input_requests_remind,
)
from intersector.worksheets.toolkit import get_stage
from tests.dashboards.helpers import answer
from tests.tasks import committed, run_queued_tasks
from tests.world import client_for, make_member, make_partner, make_user

pytestmark = pytest.mark.django_db

TOOL = get_stage("diagnose").tools[0]
TODAY = timezone.localdate()


def ask(collab, facilitator, partners, *, due=None, message="Before Friday's workshop, please."):
    membership = Membership.objects.get(user=facilitator, collaboration=collab)
    with committed():
        request = input_request_create(
            access=Access(collaboration=collab, membership=membership),
            stage_key="diagnose",
            tool_slug=TOOL.slug,
            partners=partners,
            message=message,
            due=due or TODAY + datetime.timedelta(days=7),
        )
    run_queued_tasks()
    return request


def answer_all(partner, *, skip=0):
    for question in TOOL.questions[skip:]:
        answer(partner, question.key)


def told(kind="input_request"):
    return set(
        Notification.objects.filter(event__kind=kind).values_list("recipient__email", flat=True)
    )


@pytest.fixture
def other_partner_user(collab, other_partner_org):
    user = make_user("other@test.example", "Nora Northfield")
    make_member(user, collab, Role.PARTNER, other_partner_org)
    return user


def sweep(job, now=None):
    with committed():
        done = job(now=now or timezone.now())
    run_queued_tasks()
    return done


# --- Asking ----------------------------------------------------------------------------------


def test_the_facilitator_asks_every_organisation_from_the_form(
    collab,
    facilitator,
    facilitator_client,
    partner_org,
    other_partner_org,
    partner_user,
    other_partner_user,
    observer,
    outsider,
):
    url = reverse("worksheets:input-request-new", args=[collab.slug])
    form = facilitator_client.get(url + f"?tool=diagnose/{TOOL.slug}")
    assert form.status_code == 200
    assert f'value="diagnose/{TOOL.slug}" selected' in form.content.decode()
    due = TODAY + datetime.timedelta(days=10)
    with committed():
        response = facilitator_client.post(
            url,
            {
                "tool": f"diagnose/{TOOL.slug}",
                "everyone": "on",
                "due": due.isoformat(),
                "message": "We need your views before the workshop.",
            },
        )
    run_queued_tasks()
    assert response.status_code == 302
    request = InputRequest.objects.get()
    assert set(request.partners.all()) == {partner_org, other_partner_org}
    assert (request.stage, request.tool_slug, request.due) == ("diagnose", TOOL.slug, due)
    # Members speaking for the organisations; never the observer, the actor or an outsider.
    assert told() == {partner_user.email, other_partner_user.email}
    # Input requests are e-mailed at once by default.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [partner_user.email, other_partner_user.email]
    )
    assert TOOL.name in mail.outbox[0].subject or TOOL.name in mail.outbox[0].body


def test_only_the_chosen_organisations_are_asked(
    collab, facilitator, partner_org, partner_user, other_partner_user
):
    ask(collab, facilitator, [partner_org])
    assert told() == {partner_user.email}


def test_the_form_refuses_no_organisation_and_a_past_date(collab, facilitator_client, partner_org):
    url = reverse("worksheets:input-request-new", args=[collab.slug])
    response = facilitator_client.post(
        url,
        {
            "tool": f"diagnose/{TOOL.slug}",
            "due": (TODAY - datetime.timedelta(days=1)).isoformat(),
            "message": "Please.",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Choose at least one organisation" in page and "Choose today or a later date" in page
    assert not InputRequest.objects.exists()


def test_partners_cannot_ask(collab, partner_client, partner_org):
    url = reverse("worksheets:input-request-new", args=[collab.slug])
    response = partner_client.post(
        url,
        {
            "tool": f"diagnose/{TOOL.slug}",
            "everyone": "on",
            "due": TODAY.isoformat(),
            "message": "x",
        },
    )
    assert response.status_code == 403
    assert not InputRequest.objects.exists()


# --- Waiting for you, and the dashboard ------------------------------------------------------


def test_the_request_waits_on_the_partner_overview_until_every_question_is_answered(
    collab, facilitator, partner_org, partner_client, other_partner_user
):
    ask(collab, facilitator, [partner_org])
    overview = reverse("worksheets:overview", args=[collab.slug])
    page = partner_client.get(overview).content.decode()
    assert "Waiting for you" in page and TOOL.name in page
    assert "Before Friday" in page
    # The organisation that was not asked has nothing waiting.
    assert "Waiting for you" not in client_for(other_partner_user).get(overview).content.decode()
    answer(partner_org, TOOL.questions[0].key)
    assert "Waiting for you" in partner_client.get(overview).content.decode()
    answer_all(partner_org, skip=1)
    assert "Waiting for you" not in partner_client.get(overview).content.decode()


def test_the_dashboard_shows_who_responded(
    collab, facilitator, facilitator_client, partner_org, other_partner_org
):
    ask(collab, facilitator, [partner_org, other_partner_org])
    answer_all(partner_org)
    answer(other_partner_org, TOOL.questions[0].key)  # one question is not all of them
    response = facilitator_client.get(reverse("dashboards:collaboration", args=[collab.slug]))
    (status,) = response.context["d"].requests
    assert status.answered == [partner_org]
    assert status.waiting == [other_partner_org]
    page = response.content.decode()
    assert "1 of 2 answered" in page and "Responded" in page and "Not yet" in page


def test_a_blank_perspective_is_not_an_answer(collab, facilitator, partner_org, partner_client):
    ask(collab, facilitator, [partner_org])
    for question in TOOL.questions:
        answer(partner_org, question.key, text="")
    page = partner_client.get(reverse("worksheets:overview", args=[collab.slug])).content.decode()
    assert "Waiting for you" in page


@pytest.mark.parametrize("n", [2, 20])
def test_overview_query_count_does_not_grow_with_requests_or_organisations(
    collab, facilitator, partner_org, partner_client, n, django_assert_num_queries
):
    others = [make_partner(collab, f"Org {i}", sector=Sector.BUSINESS) for i in range(n)]
    for i in range(n):
        ask(collab, facilitator, [partner_org, *others], due=TODAY + datetime.timedelta(days=i + 1))
        answer(others[i], TOOL.questions[0].key)
    # session, user, membership; sectors, current answers (2), the visit remembered, member
    # count, the requests waiting for my organisation, the decision summary, the header's
    # unread count. (A first visit: nothing to mark as new since the last one.)
    with django_assert_num_queries(11):
        response = partner_client.get(reverse("worksheets:overview", args=[collab.slug]))
    assert len(response.context["waiting"]) == n


# --- Reminders and closing -------------------------------------------------------------------


def asked_a_week_ago(collab, facilitator, partners, due):
    request = ask(collab, facilitator, partners, due=due)
    InputRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=7)
    )
    Notification.objects.all().delete()
    mail.outbox.clear()
    return request


def test_reminders_two_days_before_and_on_the_day_only_to_those_who_have_not_answered(
    collab,
    facilitator,
    partner_org,
    other_partner_org,
    partner_user,
    other_partner_user,
    observer,
):
    asked_a_week_ago(
        collab, facilitator, [partner_org, other_partner_org], TODAY + datetime.timedelta(days=2)
    )
    answer_all(other_partner_org)
    assert sweep(input_requests_remind) == 1
    assert told() == {partner_user.email}  # not the organisation that answered, nor observers
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [partner_user.email]
    assert "Reminder" in mail.outbox[0].subject
    # The sweep runs again (every few minutes, or twice at once): nothing more.
    assert sweep(input_requests_remind) == 0
    assert sweep(input_requests_remind) == 0
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1

    # On the day: one more reminder, once.
    on_the_day = timezone.now() + datetime.timedelta(days=2)
    assert sweep(input_requests_remind, on_the_day) == 1
    assert sweep(input_requests_remind, on_the_day) == 0
    assert Notification.objects.filter(recipient=partner_user).count() == 2
    assert not Notification.objects.filter(recipient=other_partner_user).exists()


def test_no_reminder_when_everyone_answered_or_for_a_request_made_that_day(
    collab, facilitator, partner_org, partner_user
):
    ask(collab, facilitator, [partner_org], due=TODAY + datetime.timedelta(days=2))
    Notification.objects.all().delete()
    assert sweep(input_requests_remind) == 0  # asked today: the request itself was the notice
    asked_a_week_ago(collab, facilitator, [partner_org], TODAY)
    answer_all(partner_org)
    assert sweep(input_requests_remind) == 0
    assert not Notification.objects.exists()


def test_no_reminder_to_a_removed_member(collab, facilitator, partner_org, partner_user):
    asked_a_week_ago(collab, facilitator, [partner_org], TODAY)
    Membership.objects.filter(user=partner_user).delete()
    sweep(input_requests_remind)
    assert not Notification.objects.filter(recipient=partner_user).exists()
    assert mail.outbox == []


def test_after_the_date_it_closes_once_and_the_facilitators_hear_who_answered(
    collab,
    facilitator,
    partner_org,
    other_partner_org,
    partner_user,
    other_partner_user,
    partner_client,
):
    request = asked_a_week_ago(collab, facilitator, [partner_org, other_partner_org], TODAY)
    answer_all(partner_org)
    assert sweep(input_requests_close) == 0  # still open on its day
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert sweep(input_requests_close, tomorrow) == 1
    assert sweep(input_requests_close, tomorrow) == 0
    request.refresh_from_db()
    assert request.closed_at is not None
    assert told("input_request_closed") == {facilitator.email}
    (message,) = mail.outbox
    assert message.to == [facilitator.email]
    assert "1 of 2 organisations answered" in message.subject + message.body
    assert "Answered (1): Bright Futures" in message.body
    assert "Not answered (1): Northfield Manufacturing" in message.body
    # A closed request no longer waits on anyone, and gets no reminder.
    page = client_for(other_partner_user).get(reverse("worksheets:overview", args=[collab.slug]))
    assert "Waiting for you" not in page.content.decode()
    assert sweep(input_requests_remind, tomorrow) == 0


def test_the_sweep_command_runs_the_reminders(collab, facilitator, partner_org, partner_user):
    asked_a_week_ago(collab, facilitator, [partner_org], TODAY)
    with committed():
        call_command("run_periodic")
        call_command("run_periodic")
    run_queued_tasks()
    assert (
        Notification.objects.filter(recipient=partner_user, event__kind="input_request").count()
        == 1
    )


def test_other_collaborations_hear_nothing(
    collab, facilitator, partner_org, outsider, other_collab
):
    other_org = make_partner(other_collab, "River Trust")
    stranger = make_user("stranger@test.example")
    make_member(stranger, other_collab, Role.PARTNER, other_org)
    asked_a_week_ago(collab, facilitator, [partner_org], TODAY)
    sweep(input_requests_remind)
    assert not Notification.objects.filter(recipient__in=[outsider, stranger]).exists()
