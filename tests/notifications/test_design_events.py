"""Tasks given to a person or an organisation: who hears of it, and who must not."""

import pytest
from django.urls import reverse

from intersector.collaborations.models import Membership, Role
from intersector.notifications.models import Notification
from tests.tasks import committed, run_queued_tasks
from tests.world import client_for, make_activity, make_member, make_task, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(collab, partner_org):
    return make_activity(collab, partner_org)


@pytest.fixture
def nora(collab, other_partner_org):
    user = make_user("nora@test.example", "Nora North")
    make_member(user, collab, Role.PARTNER, other_partner_org)
    return user


def told() -> set[str]:
    return set(
        Notification.objects.filter(event__kind="task_assigned").values_list(
            "recipient__email", flat=True
        )
    )


def post_task(
    client, collab, *, activity, responsible, assignee=None, pk=None, title="Recruit mentors"
):
    if pk is None:
        url = reverse("design:add", args=[collab.slug, "responsibilities"])
    else:
        url = reverse("design:edit", args=[collab.slug, "responsibilities", pk])
    data = {
        "activity": activity.pk,
        "title": title,
        "responsible": responsible.pk,
        "assignee": assignee.pk if assignee else "",
        "due": "",
        "status": "todo",
    }
    with committed():
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    run_queued_tasks()


def test_a_new_task_tells_the_responsible_organisation_and_the_assignee(
    collab, facilitator, activity, other_partner_org, nora, partner_user, observer
):
    Membership.objects.filter(user=observer).update(partner=other_partner_org)
    post_task(
        client_for(facilitator),
        collab,
        activity=activity,
        responsible=other_partner_org,
        assignee=partner_user,
    )
    assert told() == {nora.email, partner_user.email}  # not the observer, not the actor
    notification = Notification.objects.get(recipient=nora)
    assert "gave the task “Recruit mentors” to Pat Partner (Northfield Manufacturing)" in (
        notification.event.summary
    )


def test_the_notice_links_to_the_task_row(collab, facilitator, activity, other_partner_org, nora):
    post_task(client_for(facilitator), collab, activity=activity, responsible=other_partner_org)
    notification = Notification.objects.get(recipient=nora)
    client = client_for(nora)
    location = client.get(reverse("notifications:open", args=[notification.pk]))["Location"]
    path, anchor = location.split("#")
    assert f'id="{anchor}"' in client.get(path).content.decode()
    assert anchor.startswith("task-")


def test_editing_a_task_tells_only_whoever_it_is_newly_given_to(
    collab, facilitator, activity, partner_org, other_partner_org, nora, partner_user
):
    task = make_task(activity, other_partner_org)
    client = client_for(facilitator)
    post_task(
        client,
        collab,
        activity=activity,
        responsible=other_partner_org,
        pk=task.pk,
        title="Recruit twelve mentors",
    )
    assert told() == set()  # renamed: nobody new
    post_task(
        client,
        collab,
        activity=activity,
        responsible=other_partner_org,
        pk=task.pk,
        assignee=partner_user,
    )
    assert told() == {partner_user.email}  # Northfield already had it


def test_a_partner_is_not_told_of_the_task_they_took_on_themselves(
    collab, partner_user, activity, partner_org
):
    colleague = make_user("colleague@test.example", "Cole League")
    make_member(colleague, collab, Role.PARTNER, partner_org)
    post_task(
        client_for(partner_user),
        collab,
        activity=activity,
        responsible=partner_org,
        assignee=partner_user,
    )
    assert told() == {colleague.email}


def test_a_member_removed_before_the_fan_out_is_not_told(
    collab, facilitator, activity, other_partner_org, nora, outsider
):
    client = client_for(facilitator)
    url = reverse("design:add", args=[collab.slug, "responsibilities"])
    data = {
        "activity": activity.pk,
        "title": "T",
        "responsible": other_partner_org.pk,
        "assignee": "",
        "due": "",
        "status": "todo",
    }
    with committed():
        client.post(url, data)
    Membership.objects.filter(user=nora).delete()
    run_queued_tasks()
    assert told() == set()
