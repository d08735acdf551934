"""The periodic sweep's jobs: each app registers its own from ``<app>/periodic.py``.

    from intersector.background.periodic import register_periodic

    register_periodic("reminders", send_due_reminders)   # send_due_reminders(now) -> int

Every job must be safe to run twice at once and again a minute later (``manage.py
run_periodic`` runs from cron or a timer every few minutes, and two may overlap): claim
rows with ``select_for_update(skip_locked=True)`` or a conditional update, or mark what
was sent. A job returns how many things it did, for the sweep's log line.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from .tasks import tasks_recover_abandoned, worker_heartbeat_enqueue

PeriodicJob = Callable[[datetime], int | None]

_jobs: dict[str, PeriodicJob] = {}


def register_periodic(name: str, job: PeriodicJob) -> None:
    if name in _jobs and _jobs[name] is not job:
        raise ValueError(f"Periodic job {name!r} is already registered")
    _jobs[name] = job


def periodic_jobs() -> dict[str, PeriodicJob]:
    return dict(_jobs)


register_periodic("recover abandoned tasks", lambda now: tasks_recover_abandoned(now=now))
register_periodic("worker heartbeat", lambda now: int(worker_heartbeat_enqueue()))
