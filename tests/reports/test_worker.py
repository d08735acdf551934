"""Rendering happens off the web worker, in a child process killed at the timeout."""

import io
import multiprocessing
import os
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intersector.reports import services
from intersector.reports.models import ReportJob
from intersector.reports.rendering import RenderFailed, render_guarded

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


def test_requests_queue_a_job_that_the_worker_renders(collab, facilitator, settings):
    settings.REPORTS_RENDER_INLINE = False
    job, created = services.report_job_request(
        collaboration=collab, scope="all", paper="a4", user=facilitator
    )
    assert created and job.status == ReportJob.Status.QUEUED
    call_command("report_worker", "--once", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert bytes(job.pdf).startswith(b"%PDF")
    assert job.page_count >= 6
    assert job.content_hash


def test_asking_twice_while_pending_does_not_queue_twice(collab, facilitator, settings):
    settings.REPORTS_RENDER_INLINE = False
    first, _ = services.report_job_request(
        collaboration=collab, scope="all", paper="a4", user=facilitator
    )
    second, created = services.report_job_request(
        collaboration=collab, scope="all", paper="a4", user=facilitator
    )
    assert second.pk == first.pk and not created
    assert ReportJob.objects.count() == 1


def test_unchanged_collaboration_reuses_the_kept_pdf_and_a_change_renders_again(
    collab, facilitator, settings, monkeypatch
):
    settings.REPORTS_RENDER_INLINE = True
    renders = []
    render = services.render_guarded
    monkeypatch.setattr(
        services, "render_guarded", lambda *a, **k: renders.append(1) or render(*a, **k)
    )
    first, created = services.report_job_request(
        collaboration=collab, scope="all", paper="a4", user=facilitator
    )
    assert created and first.status == ReportJob.Status.DONE and len(renders) == 1
    again, created = services.report_job_request(
        collaboration=collab, scope="all", paper="a4", user=facilitator
    )
    # A job of its own (the request builds nothing), finished with the kept PDF unrendered.
    assert created and again.status == ReportJob.Status.DONE and len(renders) == 1
    assert bytes(again.pdf) == bytes(first.pdf) and again.page_count == first.page_count
    assert list(ReportJob.objects.values_list("pk", flat=True)) == [again.pk]
    collab.problem_statement = "A new problem statement."
    collab.save()
    fresh, created = services.report_job_request(
        collaboration=collab, scope="all", paper="a4", user=facilitator
    )
    assert created and fresh.status == ReportJob.Status.DONE and len(renders) == 2
    assert bytes(fresh.pdf) != bytes(first.pdf)
    # only the newest finished PDF of each kind is kept
    assert list(ReportJob.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_asking_for_a_report_builds_nothing_in_the_web_request(collab, facilitator, settings):
    """A large collaboration's report HTML takes seconds to build: the worker builds it."""
    settings.REPORTS_RENDER_INLINE = False
    with CaptureQueriesContext(connection) as queries:
        job, created = services.report_job_request(
            collaboration=collab, scope="all", paper="a4", user=facilitator
        )
    assert created and job.status == ReportJob.Status.QUEUED
    assert len(queries) <= 2  # is one pending? then queue one


def test_jobs_left_running_by_a_dead_worker_are_failed(collab):
    from django.utils import timezone

    job = ReportJob.objects.create(
        collaboration=collab,
        status=ReportJob.Status.RUNNING,
        started_at=timezone.now() - timedelta(hours=1),
    )
    assert services.report_jobs_requeue_stale(older_than_seconds=120) == 1
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert "Please ask again" in job.error
