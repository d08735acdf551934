"""Background work on Django's task framework.

The tasks run on the ``django-tasks`` backport with the ``django-tasks-db`` backend (the
worker is ``manage.py db_worker``); Django 6's ``django.tasks`` has the same API, so moving
there changes the imports below and nothing else.

Every task of ours takes ids, is enqueued when the transaction that asked for it commits
(``enqueue_on_commit``), does nothing it has already done (each task checks its own rows),
and is retried a bounded number of times (``background_task``): after an exception, and
after its worker died under it (``tasks_recover_abandoned``, run by the periodic sweep).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskContext, TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from .models import Heartbeat

log = logging.getLogger(__name__)


def enqueue_on_commit(task_to_run, *args, **kwargs) -> None:
    """Enqueue once the current transaction commits: the worker never sees a row that the
    request then rolled back, nor misses one it had not committed yet."""
    transaction.on_commit(functools.partial(task_to_run.enqueue, *args, **kwargs))


def retry_delay(attempt: int) -> timedelta:
    """Exponential back-off from TASKS_RETRY_BASE_SECONDS, at most an hour."""
    return timedelta(seconds=min(settings.TASKS_RETRY_BASE_SECONDS * 2 ** (attempt - 1), 3600))


def background_task(
    *,
    max_attempts: int | None = None,
    give_up: Callable[..., None] | None = None,
    priority: int = 0,
):
    """Make ``func(*ids)`` a task that is tried at most ``max_attempts`` times.

    An exception schedules the next attempt (a new task result, after ``retry_delay``) and
    is re-raised, so the failed attempt stays in the admin with its traceback. A result the
    sweep puts back in the queue after its worker died counts its claims as attempts.
    When no attempt is left, ``give_up(*ids)`` records the failure where people see it.
    """

    def decorate(func):
        @functools.wraps(func)
        def run(context: TaskContext, *args, earlier_attempts: int = 0, **kwargs):
            limit = max_attempts or settings.TASKS_MAX_ATTEMPTS
            attempt = earlier_attempts + context.attempt
            if attempt > limit:
                log.error("%s%r: no attempt left, giving up", func.__name__, args)
                if give_up is not None:
                    give_up(*args, **kwargs)
                return None
            try:
                return func(*args, **kwargs)
            except Exception:
                if attempt < limit:
                    retry = the_task.using(run_after=timezone.now() + retry_delay(attempt))
                    retry.enqueue(*args, earlier_attempts=attempt, **kwargs)
                elif give_up is not None:
                    give_up(*args, **kwargs)
                raise

        del run.__wrapped__  # the framework must see ``context`` as the first argument
        the_task = task(takes_context=True, priority=priority)(run)
        return the_task

    return decorate


def tasks_recover_abandoned(*, now: datetime | None = None) -> int:
    """Put back in the queue the tasks whose worker died while running them (``kill -9``,
    a lost machine): running for longer than any of our tasks can (TASKS_STALE_AFTER_SECONDS).

    The next claim counts as another attempt; ``background_task`` gives up past its limit.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.TASKS_STALE_AFTER_SECONDS)
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).update(status=TaskResultStatus.READY, started_at=None)


def heartbeat_stamp(name: str, *, now: datetime | None = None) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": now or timezone.now()})


@task
def worker_heartbeat() -> None:
    heartbeat_stamp("worker")


def worker_heartbeat_enqueue() -> bool:
    """Ask the worker to show it is alive, unless an earlier request still waits for it
    (a stopped worker must not find a pile of them)."""
    if DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=worker_heartbeat.module_path
    ).exists():
        return False
    worker_heartbeat.enqueue()
    return True


def background_status(*, now: datetime | None = None) -> dict[str, dict]:
    """For /healthz: when the sweep and the worker were last seen, and whether that is too
    long ago (BACKGROUND_STALE_AFTER_SECONDS, or never)."""
    now = now or timezone.now()
    seen = dict(Heartbeat.objects.values_list("name", "seen_at"))
    limit = timedelta(seconds=settings.BACKGROUND_STALE_AFTER_SECONDS)
    status = {}
    for name in ("sweep", "worker"):
        seen_at = seen.get(name)
        status[name] = {
            "last_seen": seen_at.isoformat() if seen_at else None,
            "stale": seen_at is None or now - seen_at > limit,
        }
    return status
