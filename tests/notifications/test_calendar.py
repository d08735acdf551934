"""The calendar feed: a secret, revocable address per person serving an .ics of the due
dates of their tasks, their collaborations' milestones and the input requests to their
organisation, across all their collaborations."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from design.models import Task
from intersector.collaborations.models import Membership, Role
from intersector.notifications.models import NotificationSettings
from intersector.worksheets.models import InputRequest
from intersector.worksheets.toolkit import get_stage
from tests.world import make_activity, make_member, make_milestone, make_partner, make_task

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
TOOL = get_stage("diagnose").tools[0]


def feed_url(user) -> str:
    settings, _ = NotificationSettings.objects.get_or_create(user=user)
    return reverse("notifications:calendar", args=[settings.calendar_token])


def events_of(client, url) -> dict[str, icalendar.Event]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]).split("@")[0]: event for event in calendar.walk("VEVENT")}


def task_due(activity, responsible, title, due, **fields):
    task = make_task(activity, responsible, title=title)
    Task.objects.filter(pk=task.pk).update(due=due, **fields)
    return task


def ask(collab, partners, due):
    request = InputRequest.objects.create(
        collaboration=collab, stage="diagnose", tool_slug=TOOL.slug, message="Please.", due=due
    )
    request.partners.set(partners)
    return request


@pytest.fixture
def world(collab, partner_org, other_partner_org, partner_user, other_collab):
    activity = make_activity(collab, other_partner_org)
    ours = task_due(activity, partner_org, "Recruit mentors", TODAY + 3 * DAY)
    done = task_due(activity, partner_org, "Book rooms", TODAY, status=Task.Status.DONE)
    theirs = task_due(activity, other_partner_org, "Their task", TODAY)
    milestone = make_milestone(activity, title="First cohort starts", due=TODAY + 10 * DAY)
    request = ask(collab, [partner_org], TODAY + 5 * DAY)
    not_to_us = ask(collab, [other_partner_org], TODAY + 6 * DAY)
    # A second collaboration the partner persona also belongs to.
    river_org = make_partner(other_collab, "Bright Futures (rivers)")
    make_member(partner_user, other_collab, Role.PARTNER, river_org)
    river = make_milestone(make_activity(other_collab, river_org), title="Clean-up day")
    return locals()


def test_the_feed_lists_my_tasks_the_milestones_and_the_requests_to_my_organisation(
    client, world, partner_user
):
    events = events_of(client, feed_url(partner_user))  # no sign-in: calendar apps fetch it
    w = world
    assert set(events) == {
        f"task-{w['ours'].pk}",
        f"milestone-{w['milestone'].pk}",
        f"input-request-{w['request'].pk}",
        f"milestone-{w['river'].pk}",
    }  # not the done task, not another organisation's task or request
    task = events[f"task-{w['ours'].pk}"]
    assert task.decoded("DTSTART") == TODAY + 3 * DAY
    assert task.decoded("DTEND") == TODAY + 4 * DAY
    assert "Recruit mentors" in str(task["SUMMARY"])
    assert str(task["URL"]).endswith(f"#task-{w['ours'].pk}")
    request = events[f"input-request-{w['request'].pk}"]
    assert TOOL.name in str(request["SUMMARY"]) and request.decoded("DTSTART") == TODAY + 5 * DAY
    assert "Clean Rivers" in str(events[f"milestone-{w['river'].pk}"]["DESCRIPTION"])


def test_an_assigned_task_is_in_the_assignees_feed(client, world, partner_user, facilitator):
    Task.objects.filter(pk=world["theirs"].pk).update(assignee=facilitator)
    assert f"task-{world['theirs'].pk}" in events_of(client, feed_url(facilitator))
    # Facilitators speak for no organisation: no requests, and no one else's tasks.
    assert not any(
        uid.startswith("input-request") for uid in events_of(client, feed_url(facilitator))
    )


def test_a_removed_member_no_longer_sees_that_collaboration(
    client, world, partner_user, other_collab
):
    url = feed_url(partner_user)
    Membership.objects.filter(user=partner_user, collaboration=other_collab).delete()
    assert f"milestone-{world['river'].pk}" not in events_of(client, url)
    Membership.objects.filter(user=partner_user).delete()
    assert events_of(client, url) == {}


def test_observers_see_milestones_but_no_requests(client, world, observer):
    assert set(events_of(client, feed_url(observer))) == {f"milestone-{world['milestone'].pk}"}


def test_an_unknown_or_tampered_address_is_not_found_and_changes_nothing(client, partner_user):
    url = feed_url(partner_user)
    token = NotificationSettings.objects.get(user=partner_user).calendar_token
    for bad in ("made-up", token[:-1] + ("A" if token[-1] != "A" else "B"), token.upper()):
        if bad == token:
            continue
        assert client.get(reverse("notifications:calendar", args=[bad])).status_code == 404
    assert NotificationSettings.objects.get(user=partner_user).calendar_token == token
    assert client.get(url).status_code == 200


def test_a_new_address_replaces_the_old_one(client, partner_user, partner_client):
    old = feed_url(partner_user)
    page = partner_client.get(reverse("notifications:preferences")).content.decode()
    assert "http://testserver" + old in page
    response = partner_client.post(reverse("notifications:calendar-reset"))
    assert response.status_code == 302
    new = feed_url(partner_user)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert (
        "http://testserver" + new
        in partner_client.get(reverse("notifications:preferences")).content.decode()
    )


@pytest.mark.parametrize("n", [1, 8])
def test_the_feed_query_count_does_not_grow(
    client, partner_user, partner_org, collab, n, django_assert_num_queries
):
    from tests.world import make_collaboration

    url = feed_url(partner_user)
    for i in range(n):
        other = make_collaboration(f"Collaboration {i}")
        org = make_partner(other, f"Org {i}")
        make_member(partner_user, other, Role.PARTNER, org)
        activity = make_activity(other, org)
        task_due(activity, org, f"Task {i}", TODAY + i * DAY)
        make_milestone(activity, title=f"Milestone {i}")
        ask(other, [org], TODAY + DAY)
    # The address, the memberships, then tasks, milestones and requests: one query each.
    with django_assert_num_queries(5):
        events = events_of(client, url)
    assert len(events) == 3 * n
