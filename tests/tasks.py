"""Running the task queue inside a test, with the real worker's loop."""

import contextlib
import time
from unittest import mock

from django.db import OperationalError
from django.test import TestCase
from django_tasks_db.management.commands import db_worker
from django_tasks_db.utils import is_locked_database_exception


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


def _worker_pass(attempts: int = 100) -> int:
    """One ``db_worker --batch`` run; how many tasks it ran. Tried again while SQLite's shared
    in-memory test database refuses the worker's claiming transaction at BEGIN ("database
    table is locked": a browser test's live server is reading for a page's poll); nothing is
    claimed then, and a database file would have waited."""
    ran = 0
    for attempt in range(attempts):
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
        try:
            with mock.patch.object(db_worker, "close_old_connections", lambda: None):
                worker.run()
        except OperationalError as error:
            if not is_locked_database_exception(error) or attempt == attempts - 1:
                raise
            ran += worker._run_tasks
            time.sleep(0.02)
        else:
            return ran + worker._run_tasks
    raise AssertionError("unreachable")


@contextlib.contextmanager
def committed():
    """Run the on-commit callbacks (our tasks' enqueues) of what happens inside, as its
    commit would: the test's own transaction never commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield
