"""Running the task queue inside a test, with the real worker's loop."""

import contextlib
from unittest import mock

from django.test import TestCase
from django_tasks_db.management.commands import db_worker


def run_queued_tasks() -> int:
    """Run ``manage.py db_worker --batch``'s loop in this process until no task is ready,
    including those the tasks queue on their commits; return how many tasks ran. (Its
    connection clean-up is skipped: the test's transaction holds the connection.)"""
    total = 0
    while True:
        with committed():
            ran = _worker_pass()
        total += ran
        if not ran:
            return total


def _worker_pass() -> int:
    worker = db_worker.Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        worker.run()
    return worker._run_tasks


@contextlib.contextmanager
def committed():
    """Run the on-commit callbacks (our tasks' enqueues) of what happens inside, as its
    commit would: the test's own transaction never commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield
