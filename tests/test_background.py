"""Our tasks' guarantees: enqueued on commit, retried a bounded number of times, given up
on with a record, and put back in the queue when their worker died."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from intersector.background.periodic import register_periodic
from intersector.background.tasks import background_task
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db

calls: list[tuple[str, int]] = []


def give_up(number: int, **task_kwargs) -> None:
    calls.append(("gave up", number))


@background_task(max_attempts=3, give_up=give_up)
def flaky(number: int, *, failures: int) -> None:
    calls.append(("tried", number))
    if sum(1 for what, n in calls if what == "tried" and n == number) <= failures:
        raise ConnectionRefusedError("mail server down")


@pytest.fixture(autouse=True)
def _fresh_calls(settings):
    settings.TASKS_RETRY_BASE_SECONDS = 0  # each retry is ready at once
    calls.clear()


def test_a_failing_task_is_retried_until_it_succeeds():
    flaky.enqueue(7, failures=2)
    for _ in range(3):
        run_queued_tasks()
    assert calls == [("tried", 7)] * 3
    statuses = list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True))
    assert statuses == ["FAILED", "FAILED", "SUCCESSFUL"]  # each failed attempt is kept


def test_a_task_that_keeps_failing_is_given_up_after_its_attempts():
    flaky.enqueue(8, failures=99)
    for _ in range(5):
        run_queued_tasks()
    assert calls == [("tried", 8)] * 3 + [("gave up", 8)]
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


def test_a_retry_waits_for_its_back_off(settings):
    settings.TASKS_RETRY_BASE_SECONDS = 30
    flaky.enqueue(9, failures=1)
    run_queued_tasks()
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.run_after - timezone.now() > timedelta(seconds=25)
    assert run_queued_tasks() == 0


def test_two_sweeps_at_once_recover_an_abandoned_task_once():
    flaky.enqueue(10, failures=0)
    result = DBTaskResult.objects.get()
    result.claim("killed")
    DBTaskResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - timedelta(minutes=5)
    )
    call_command("run_periodic", stdout=io.StringIO())
    call_command("run_periodic", stdout=io.StringIO())
    run_queued_tasks()
    assert calls == [("tried", 10)]


def test_a_failing_periodic_job_does_not_stop_the_others():
    done = []
    register_periodic("test: broken", lambda now: 1 / 0)
    register_periodic("test: fine", lambda now: done.append(now) or 1)
    try:
        with pytest.raises(Exception, match="Some periodic jobs failed"):
            call_command("run_periodic", stdout=io.StringIO())
        assert len(done) == 1
    finally:
        from intersector.background import periodic

        periodic._jobs.pop("test: broken")
        periodic._jobs.pop("test: fine")
