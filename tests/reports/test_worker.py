"""Rendering happens off the web worker, in a child process killed at the timeout."""

import contextlib
import io
import multiprocessing
import os
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from intersector.reports import services
from intersector.reports.models import ReportJob
from intersector.reports.rendering import RenderFailed, render_guarded
from intersector.reports.tasks import render_report
from tests.tasks import committed, run_queued_tasks

PATHOLOGICAL = (
    "<html lang=en><title>slow</title><table><tr><td colspan=65534>x</td></tr>"
    "<tr><td>y</td></tr></table></html>"
)


def test_pathological_document_is_killed_at_the_timeout_and_nothing_is_left_running():
    with pytest.raises(RenderFailed, match="longer than 1 seconds"):
        render_guarded(PATHOLOGICAL, timeout=1)
    assert multiprocessing.active_children() == []


def test_a_render_that_waits_on_anything_is_stopped_at_the_timeout(monkeypatch):
    from intersector.reports import rendering

    monkeypatch.setattr(rendering, "pdf_from_html", lambda html, pdf_variant: time.sleep(60))
    started = time.monotonic()
    with pytest.raises(RenderFailed, match="longer than 1 seconds"):
        render_guarded("<p>stuck</p>", timeout=1)
    assert time.monotonic() - started < 1 + 2
    assert multiprocessing.active_children() == []


def test_a_renderer_that_dies_fails_the_render_with_a_clear_message(monkeypatch):
    """As when the service unit's memory limit kills it: the job fails, nothing hangs."""
    from intersector.reports import rendering

    monkeypatch.setattr(rendering, "pdf_from_html", lambda html, pdf_variant: os._exit(9))
    with pytest.raises(RenderFailed, match="stopped unexpectedly"):
        render_guarded("<p>dies</p>", timeout=30)
    assert multiprocessing.active_children() == []


def test_guarded_render_returns_the_pdf():
    rendered = render_guarded("<html lang=en><title>ok</title><p>hello</p></html>", timeout=30)
    assert rendered.pdf.startswith(b"%PDF")
    assert rendered.page_count == 1


def test_a_job_that_times_out_fails_with_a_clear_message(collab, facilitator):
    job = ReportJob.objects.create(collaboration=collab, requested_by=facilitator)
    services.report_job_run(job=job, timeout=1, html=PATHOLOGICAL)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert "took longer than 1 seconds" in job.error
    assert job.pdf is None
    assert multiprocessing.active_children() == []


def request_report(user, collab, **kwargs) -> ReportJob:
    """Ask for a report and let the task worker take it, as `make run` and production do."""
    with committed():
        job, _ = services.report_job_request(
            collaboration=collab, scope="all", paper="a4", user=user, **kwargs
        )
    run_queued_tasks()
    job.refresh_from_db()
    return job


def test_requests_queue_a_task_that_the_worker_renders(collab, facilitator):
    with committed():
        job, created = services.report_job_request(
            collaboration=collab, scope="all", paper="a4", user=facilitator
        )
    assert created and job.status == ReportJob.Status.QUEUED
    assert DBTaskResult.objects.get().task_path == render_report.module_path
    assert run_queued_tasks() == 2  # the render, then the fan-out of "your report is ready"
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert bytes(job.pdf).startswith(b"%PDF")
    assert job.page_count >= 6
    assert job.content_hash


def test_asking_twice_while_pending_does_not_queue_twice(collab, facilitator):
    with committed():
        first, _ = services.report_job_request(
            collaboration=collab, scope="all", paper="a4", user=facilitator
        )
        second, created = services.report_job_request(
            collaboration=collab, scope="all", paper="a4", user=facilitator
        )
    assert second.pk == first.pk and not created
    assert ReportJob.objects.count() == 1 and DBTaskResult.objects.count() == 1


def test_nothing_is_queued_when_the_request_rolls_back(collab, facilitator):
    with committed(), contextlib.suppress(RuntimeError), transaction.atomic():
        services.report_job_request(collaboration=collab, scope="all", paper="a4", user=facilitator)
        raise RuntimeError("the request failed after asking")
    assert not DBTaskResult.objects.exists() and not ReportJob.objects.exists()


def test_unchanged_collaboration_reuses_the_kept_pdf_and_a_change_renders_again(
    collab, facilitator, monkeypatch
):
    renders = []
    render = services.render_guarded
    monkeypatch.setattr(
        services, "render_guarded", lambda *a, **k: renders.append(1) or render(*a, **k)
    )
    first = request_report(facilitator, collab)
    assert first.status == ReportJob.Status.DONE and len(renders) == 1
    again = request_report(facilitator, collab)
    # A job of its own (the request builds nothing), finished with the kept PDF unrendered.
    assert again.pk != first.pk and again.status == ReportJob.Status.DONE and len(renders) == 1
    assert bytes(again.pdf) == bytes(first.pdf) and again.page_count == first.page_count
    assert list(ReportJob.objects.values_list("pk", flat=True)) == [again.pk]
    collab.problem_statement = "A new problem statement."
    collab.save()
    fresh = request_report(facilitator, collab)
    assert fresh.status == ReportJob.Status.DONE and len(renders) == 2
    assert bytes(fresh.pdf) != bytes(first.pdf)
    # only the newest finished PDF of each kind is kept
    assert list(ReportJob.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_asking_for_a_report_builds_nothing_in_the_web_request(collab, facilitator):
    """A large collaboration's report HTML takes seconds to build: the worker builds it."""
    with CaptureQueriesContext(connection) as queries, committed():
        job, created = services.report_job_request(
            collaboration=collab, scope="all", paper="a4", user=facilitator
        )
    assert created and job.status == ReportJob.Status.QUEUED
    assert len(queries) <= 3  # is one pending? then a job, and its task


def kill_the_worker_mid_task() -> DBTaskResult:
    """As after ``kill -9`` of the worker while it ran the task: claimed, never finished."""
    result = DBTaskResult.objects.get(
        status=TaskResultStatus.READY, task_path=render_report.module_path
    )
    result.claim("killed-worker")
    DBTaskResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - timedelta(minutes=5)
    )
    return result


def test_a_job_whose_worker_died_is_queued_again_by_the_sweep_and_finishes(collab, facilitator):
    with committed():
        job, _ = services.report_job_request(
            collaboration=collab, scope="all", paper="a4", user=facilitator
        )
    services.report_job_claim(job=job)  # the dead worker had started on it
    kill_the_worker_mid_task()
    assert run_queued_tasks() == 0  # nothing is ready: the task looks as if it still runs
    call_command("run_periodic", stdout=io.StringIO())
    assert run_queued_tasks() >= 1
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and bytes(job.pdf).startswith(b"%PDF")


def test_a_job_whose_worker_keeps_dying_fails_with_a_message_after_its_attempts(
    collab, facilitator, settings
):
    settings.TASKS_MAX_ATTEMPTS = 2
    with committed():
        job, _ = services.report_job_request(
            collaboration=collab, scope="all", paper="a4", user=facilitator
        )
    for _ in range(2):
        kill_the_worker_mid_task()
        call_command("run_periodic", stdout=io.StringIO())
    assert run_queued_tasks() >= 1  # the third claim: no attempt left
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert "Please ask again" in job.error
