"""Report jobs: request, claim, render, keep the last PDF."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from intersector.background.tasks import enqueue_on_commit
from intersector.collaborations.models import Collaboration
from intersector.notifications.kinds import Audience
from intersector.notifications.services import notify

from .events import REPORT_READY
from .models import ReportJob
from .rendering import RenderFailed, content_hash, render_guarded, report_html
from .selectors import build_report

log = logging.getLogger(__name__)


def current_html(collaboration: Collaboration, *, scope: str, paper: str) -> str:
    report = build_report(collaboration, scope=scope, paper=paper, for_pdf=True)
    return report_html(report)


def report_job_request(
    *, collaboration: Collaboration, scope: str, paper: str, user
) -> tuple[ReportJob, bool]:
    """Return (job, created): the pending job of this kind, or a new one.

    Nothing is built here: a large collaboration's report HTML takes seconds, which would
    hold a web worker (and the autosaves queued behind it). The worker builds it, and
    reuses the kept PDF when it is unchanged (``report_job_run``).
    """
    same = ReportJob.objects.filter(collaboration=collaboration, scope=scope, paper=paper)
    pending = same.filter(status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING]).first()
    if pending is not None:
        return pending, False
    job = ReportJob.objects.create(
        collaboration=collaboration, scope=scope, paper=paper, requested_by=user
    )
    from .tasks import render_report  # (tasks.py imports this module)

    enqueue_on_commit(render_report, job.pk)
    return job, True


def report_job_claim(*, job: ReportJob) -> bool:
    """Move a queued job to running; False when another worker got there first."""
    return bool(
        ReportJob.objects.filter(pk=job.pk, status=ReportJob.Status.QUEUED).update(
            status=ReportJob.Status.RUNNING, started_at=timezone.now()
        )
    )


def report_job_run(
    *, job: ReportJob, timeout: float | None = None, html: str | None = None
) -> ReportJob:
    """Render one job in a guarded child process and record the outcome; a job whose report
    is unchanged since the kept PDF was made takes that PDF instead. A job already running
    is one whose worker died: it is rendered again.

    ``html`` replaces the report's own HTML (tests and benchmarks only).
    """
    if job.status == ReportJob.Status.QUEUED and not report_job_claim(job=job):
        return job
    job.refresh_from_db()
    collaboration = job.collaboration
    try:
        if html is None:
            html = current_html(collaboration, scope=job.scope, paper=job.paper)
        digest = content_hash(html)
        if _reuse_kept_pdf(job, digest):
            return job
        rendered = render_guarded(html, timeout=timeout)
    except RenderFailed as exc:
        log.warning("Report job %s failed: %s", job.pk, exc)
        _fail(job, str(exc))
        return job
    except Exception as exc:
        log.exception("Report job %s crashed", job.pk)
        _fail(job, f"The report could not be prepared ({type(exc).__name__}).")
        return job
    _finish(
        job,
        digest,
        pdf=rendered.pdf,
        page_count=rendered.page_count,
        render_seconds=rendered.seconds,
    )
    return job


def report_job_fail(*, job_id: int, error: str) -> None:
    ReportJob.objects.filter(
        pk=job_id, status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING]
    ).update(status=ReportJob.Status.FAILED, finished_at=timezone.now(), error=error)


def _fail(job: ReportJob, error: str) -> None:
    report_job_fail(job_id=job.pk, error=error)


def _finish(job: ReportJob, digest: str, *, pdf, page_count: int, render_seconds) -> None:
    """Record ``job`` as done with its PDF; only the newest finished PDF of a kind is kept."""
    with transaction.atomic():
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.DONE,
            finished_at=timezone.now(),
            content_hash=digest,
            pdf=pdf,
            page_count=page_count,
            render_seconds=render_seconds,
            error="",
        )
        _finished_of_its_kind(job).delete()
        if job.requested_by_id:
            _tell_requester(job)


def _tell_requester(job: ReportJob) -> None:
    collaboration = job.collaboration
    notify(
        kind=REPORT_READY,
        collaboration=collaboration,
        summary=_("Your PDF report of “%(title)s” is ready") % {"title": collaboration.title},
        url=reverse("reports:job", kwargs={"slug": collaboration.slug, "pk": job.pk}),
        audience=Audience.of(users=[job.requested_by_id]),
        key=f"report-ready:{job.pk}",
    )


def _finished_of_its_kind(job: ReportJob):
    return ReportJob.objects.filter(
        collaboration_id=job.collaboration_id,
        scope=job.scope,
        paper=job.paper,
        status__in=[ReportJob.Status.DONE, ReportJob.Status.FAILED],
    ).exclude(pk=job.pk)


def _reuse_kept_pdf(job: ReportJob, digest: str) -> bool:
    """Finish ``job`` with the kept PDF when that was made from the same HTML."""
    kept = (
        _finished_of_its_kind(job)
        .filter(status=ReportJob.Status.DONE, content_hash=digest)
        .defer("pdf")
        .first()
    )
    if kept is None:
        return False
    _finish(
        job,
        digest,
        pdf=Subquery(ReportJob.objects.filter(pk=kept.pk).values("pdf")[:1]),
        page_count=kept.page_count,
        render_seconds=kept.render_seconds,
    )
    return True
