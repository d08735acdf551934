"""Task due-date reminders from the periodic sweep: due in 3 days, due today, overdue; one
notice each, to the assignee and the responsible organisation, never repeated."""

import datetime

import pytest
from django.utils import timezone

from design.models import Task
from design.reminders import task_due_reminders
from intersector.collaborations.models import Membership, Role
from intersector.notifications.models import Event, Notification
from tests.tasks import committed, run_queued_tasks
from tests.world import make_activity, make_member, make_partner, make_task, make_user

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def sweep(now):
    with committed():
        done = task_due_reminders(now=now)
    run_queued_tasks()
    return done


def told(task):
    return sorted(
        Notification.objects.filter(event__key__startswith=f"task-due:{task.pk}:")
        .order_by("event__created_at", "pk")
        .values_list("recipient__email", "event__payload__notice")
    )


@pytest.fixture
def task(collab, partner_org, other_partner_org, facilitator):
    activity = make_activity(collab, other_partner_org)
    task = make_task(activity, partner_org, title="Recruit mentors")
    task.due = timezone.localdate() + 3 * DAY
    task.save()
    return task


@pytest.fixture
def assignee(collab, other_partner_org, task):
    user = make_user("assignee@test.example", "Ada Assignee")
    make_member(user, collab, Role.PARTNER, other_partner_org)
    task.assignee = user
    task.save()
    return user


def test_three_notices_each_once_to_the_assignee_and_the_responsible_organisation(
    task, assignee, partner_user, facilitator, observer, outsider
):
    now = timezone.now()
    assert sweep(now) == 1
    assert sweep(now) == 0  # the sweep runs again: nothing more
    assert told(task) == [(assignee.email, "soon"), (partner_user.email, "soon")]
    event = Event.objects.get(key__endswith=":soon")
    assert event.key == f"task-due:{task.pk}:{task.due.isoformat()}:soon"
    assert "Recruit mentors" in event.summary and event.url.endswith(f"#task-{task.pk}")
    assert sweep(now + DAY) == 0  # due in 2 days: the "soon" notice was given
    assert sweep(now + 3 * DAY) == 1
    assert sweep(now + 3 * DAY) == 0
    assert sweep(now + 4 * DAY) == 1
    assert sweep(now + 5 * DAY) == 0
    notices = [notice for _email, notice in told(task) if _email == assignee.email]
    assert sorted(notices) == ["overdue", "soon", "today"]
    # Never the facilitator, an observer or another collaboration's people.
    assert not Notification.objects.filter(recipient__in=[facilitator, observer, outsider]).exists()


def test_a_done_task_gets_no_reminder(task, partner_user):
    Task.objects.filter(pk=task.pk).update(status=Task.Status.DONE)
    assert sweep(timezone.now() + 3 * DAY) == 0
    assert not Notification.objects.exists()


def test_a_removed_member_is_not_reminded(task, assignee, partner_user):
    Membership.objects.filter(user=assignee).delete()
    sweep(timezone.now())
    assert told(task) == [(partner_user.email, "soon")]


def test_a_new_due_date_is_announced_again(task, partner_user):
    sweep(timezone.now())
    Task.objects.filter(pk=task.pk).update(due=task.due + 10 * DAY)
    assert sweep(timezone.now() + 10 * DAY) == 1
    assert [n for _e, n in told(task)] == ["soon", "soon"]


def test_an_old_overdue_task_is_not_dug_up(task, partner_user):
    Task.objects.filter(pk=task.pk).update(due=timezone.localdate() - 30 * DAY)
    assert sweep(timezone.now()) == 0


def test_the_sweep_query_count_does_not_grow_with_tasks(
    collab, partner_org, facilitator, django_assert_max_num_queries
):
    activity = make_activity(collab, partner_org)
    for i in range(10):
        task = make_task(activity, make_partner(collab, f"Org {i}"), title=f"Task {i}")
        Task.objects.filter(pk=task.pk).update(due=timezone.localdate() + DAY)
    sweep(timezone.now())
    # All ten were raised: a second sweep reads the tasks and the raised keys, nothing else.
    with django_assert_max_num_queries(2):
        assert task_due_reminders(now=timezone.now()) == 0
