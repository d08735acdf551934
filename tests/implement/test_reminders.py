"""Milestone due-date reminders: one notice each for due in 3 days, due today and missed,
to the facilitators and the organisation leading the milestone's activity (everyone for a
milestone of a whole goal); never for an achieved milestone; never twice."""

import datetime

import pytest
from django.utils import timezone

from implement.models import Milestone
from implement.reminders import milestone_due_reminders
from intersector.collaborations.models import Role
from intersector.notifications.models import Notification
from tests.tasks import committed, run_queued_tasks
from tests.world import make_activity, make_member, make_milestone, make_user

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def sweep(now):
    with committed():
        done = milestone_due_reminders(now=now)
    run_queued_tasks()
    return done


def told():
    return set(Notification.objects.values_list("recipient__email", flat=True))


@pytest.fixture
def other_partner_user(collab, other_partner_org):
    user = make_user("other@test.example")
    make_member(user, collab, Role.PARTNER, other_partner_org)
    return user


def test_an_activitys_milestone_reaches_the_facilitators_and_the_lead_organisation(
    collab, partner_org, facilitator, partner_user, other_partner_user, observer, outsider
):
    milestone = make_milestone(make_activity(collab, partner_org), due=timezone.localdate())
    assert sweep(timezone.now()) == 1
    assert sweep(timezone.now()) == 0
    assert told() == {facilitator.email, partner_user.email}
    notification = Notification.objects.get(recipient=partner_user)
    assert notification.event.summary.endswith("is due today")
    assert notification.event.url.endswith(f"#milestone-{milestone.pk}")


def test_a_goal_milestone_reaches_everyone_and_a_missed_one_is_said_once(
    collab, partner_org, facilitator, partner_user, other_partner_user, observer
):
    milestone = make_milestone(make_activity(collab, partner_org), due=timezone.localdate())
    Milestone.objects.filter(pk=milestone.pk).update(activity=None)
    tomorrow = timezone.now() + DAY
    assert sweep(tomorrow) == 1
    assert sweep(tomorrow + DAY) == 0
    assert told() == {
        facilitator.email,
        partner_user.email,
        other_partner_user.email,
        observer.email,
    }
    assert "overdue" in Notification.objects.first().event.summary


def test_an_achieved_milestone_gets_no_reminder(collab, partner_org, facilitator, partner_user):
    make_milestone(
        make_activity(collab, partner_org),
        due=timezone.localdate() + 2 * DAY,
        status=Milestone.Status.ACHIEVED,
    )
    assert sweep(timezone.now()) == 0
    assert not Notification.objects.exists()
