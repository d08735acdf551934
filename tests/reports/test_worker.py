"""Rendering happens off the web worker, in a guarded child process (P8)."""

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
from intersector.reports.rendering import (
    AUTOGROUP,
    RenderFailed,
    render_guarded,
    run_in_the_background,
)

PATHOLOGICAL = (
    "<html lang=en><title>slow</title><table><tr><td colspan=65534>x</td></tr>"
    "<tr><td>y</td></tr></table></html>"
)


def test_pathological_document_is_killed_at_the_timeout_and_nothing_is_left_running():
    with pytest.raises(RenderFailed, match="longer than 1 seconds"):
        render_guarded(PATHOLOGICAL, timeout=1)
    assert multiprocessing.active_children() == []


def test_a_render_waiting_for_the_cpu_is_not_stopped_within_its_cpu_time(monkeypatch):
    """The timeout counts CPU time: a render slowed by a busy machine still finishes."""
    from intersector.reports import rendering

    monkeypatch.setattr(rendering, "pdf_from_html", lambda html, pdf_variant: time.sleep(1.5))
    render_guarded("<p>waiting</p>", timeout=1)  # 1.5 s in all, next to no CPU time
    assert multiprocessing.active_children() == []


def test_a_render_that_never_finishes_is_stopped_by_the_wall_clock(monkeypatch):
    from intersector.reports import rendering

    monkeypatch.setattr(rendering, "pdf_from_html", lambda html, pdf_variant: time.sleep(60))
    started = time.monotonic()
    with pytest.raises(RenderFailed, match="longer than 1 seconds"):
        render_guarded("<p>stuck</p>", timeout=1)
    assert time.monotonic() - started < rendering.wall_clock_limit(1) + 2
    assert multiprocessing.active_children() == []


def test_memory_cap_stops_a_render_that_needs_too_much(settings):
    # Large allocations are fresh mappings, so they count against the cap however much
    # free heap the parent process happened to have when it forked.
    html = "<html lang=en><title>big</title><p>" + "word " * 8_000_000 + "</p>"
    with pytest.raises(RenderFailed, match="16 MB"):
        render_guarded(html, timeout=30, memory_mb=16)
    assert multiprocessing.active_children() == []


def test_memory_cap_counts_what_the_render_keeps_resident(monkeypatch):
    """Memory that grows a little at a time, as a long report's layout does, is stopped by
    the watch on the child's resident memory, below the address-space backstop."""
    from intersector.reports import rendering

    def grows(html, pdf_variant):
        kept = []
        for _ in range(12):  # 48 MB written: past the 32 MB cap, within the 64 MB backstop
            kept.append(b"\x01" * (4 * 1024 * 1024))
            time.sleep(0.05)
        time.sleep(60)

    monkeypatch.setattr(rendering, "pdf_from_html", grows)
    started = time.monotonic()
    with pytest.raises(RenderFailed, match="more than 32 MB"):
        render_guarded("<p>growing</p>", timeout=30, memory_mb=32)
    assert time.monotonic() - started < 10
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


def test_the_renderer_runs_at_a_lower_cpu_priority_than_the_web_workers(monkeypatch, settings):
    """WeasyPrint is CPU-bound: niced, and on Linux at SCHED_IDLE in a session (autogroup)
    of its own at that nice value, so that web requests sharing its cores come first."""
    from intersector.reports import rendering

    def priority(html, pdf_variant):
        policy = os.sched_getscheduler(0) if hasattr(os, "SCHED_IDLE") else None
        autogroup = AUTOGROUP.read_text() if AUTOGROUP.exists() else None
        return os.nice(0), policy, os.getsid(0), autogroup

    settings.REPORTS_RENDER_NICE = 7
    monkeypatch.setattr(rendering, "pdf_from_html", priority)
    nice, policy, session, autogroup = render_guarded("<p>niceness</p>", timeout=30)
    assert nice == max(os.nice(0), 7)
    if hasattr(os, "SCHED_IDLE"):
        assert policy == os.SCHED_IDLE
    if AUTOGROUP.exists():  # Linux: a session, and so an autogroup, of its own at nice 7
        assert session != os.getsid(0)
        assert autogroup.split()[-2:] == ["nice", "7"]


@pytest.mark.skipif(not hasattr(os, "sched_getscheduler"), reason="Linux scheduling policies")
def test_a_render_priority_of_zero_leaves_the_renderer_as_it_is(monkeypatch, settings):
    from intersector.reports import rendering

    settings.REPORTS_RENDER_NICE = 0
    monkeypatch.setattr(
        rendering,
        "pdf_from_html",
        lambda html, pdf_variant: (os.sched_getscheduler(0), os.getsid(0)),
    )
    assert render_guarded("<p>as is</p>", timeout=30) == (os.sched_getscheduler(0), os.getsid(0))


def _background_twice(conn):
    def autogroup():
        return AUTOGROUP.read_text() if AUTOGROUP.exists() else ""

    before = autogroup()
    run_in_the_background(7)
    run_in_the_background(7)
    conn.send((os.nice(0), os.getsid(0), autogroup() == before))


def test_backgrounding_nices_once_and_leaves_a_shared_session_as_it_is():
    """The worker backgrounds itself and then forks renderers that do it again: niced once.
    It stays in the session it was started in (Ctrl+C and its supervisor's signals still
    reach it), whose autogroup, shared with other processes, is not niced."""
    parent, child = multiprocessing.get_context("fork").Pipe()
    process = multiprocessing.get_context("fork").Process(target=_background_twice, args=(child,))
    process.start()
    process.join(10)
    assert parent.poll(), "the child process failed"
    nice, session, autogroup_unchanged = parent.recv()
    assert nice == max(os.nice(0), 7)
    assert session == os.getsid(0)
    assert autogroup_unchanged


def test_the_worker_puts_itself_in_the_background_and_once_leaves_its_caller_alone(
    monkeypatch, settings, db
):
    """Building a report's HTML takes seconds of CPU too: the long-running worker yields to
    the web workers as a whole; ``--once`` runs inside another process and changes nothing."""
    from intersector.reports.management.commands import report_worker

    calls = []
    monkeypatch.setattr(report_worker, "run_in_the_background", calls.append)
    monkeypatch.setattr(report_worker, "pdf_from_html", lambda html: None)

    def stop_waiting(seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr(report_worker.time, "sleep", stop_waiting)
    settings.REPORTS_RENDER_NICE = 10
    call_command("report_worker", "--once", stdout=io.StringIO())
    assert calls == []
    call_command("report_worker", stdout=io.StringIO())  # polls once, finds nothing, stops
    assert calls == [10]
