"""Report jobs: request, claim, render, keep the last PDF. Data jobs: the JSON export and
import, made and applied by the worker."""

from __future__ import annotations

import hashlib
import logging

from django.db import transaction
from django.db.models import Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from intersector.background.tasks import enqueue_on_commit
from intersector.collaborations.models import Collaboration
from intersector.collaborations.registry import ImportFailed
from intersector.notifications.kinds import Audience
from intersector.notifications.services import notify

from .events import DATA_JOB_DONE, REPORT_READY
from .exports import decode_upload, export_text, import_collaboration, parse_document
from .models import DataJob, Job, ReportJob
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
        _tell_requester(
            job,
            kind=REPORT_READY,
            summary=_("Your PDF report of “%(title)s” is ready")
            % {"title": job.collaboration.title},
            page="reports:job",
        )


def _tell_requester(job: Job, *, kind: str, summary: str, page: str) -> None:
    """One notification per job, whatever its outcome and however often its task runs."""
    if not job.requested_by_id:
        return
    collaboration = job.collaboration
    notify(
        kind=kind,
        collaboration=collaboration,
        summary=summary,
        url=reverse(page, kwargs={"slug": collaboration.slug, "pk": job.pk}),
        audience=Audience.of(users=[job.requested_by_id]),
        key=f"{kind}:{job.pk}",
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


# ---- JSON export and import ------------------------------------------------------------

PENDING = [DataJob.Status.QUEUED, DataJob.Status.RUNNING]


def data_export_request(*, collaboration: Collaboration, user) -> DataJob:
    """The pending export of this collaboration, or a new one for the worker to make."""
    pending = (
        DataJob.objects.filter(
            collaboration=collaboration, kind=DataJob.Kind.EXPORT, status__in=PENDING
        )
        .defer("document")
        .first()
    )
    if pending is not None:
        return pending
    job = DataJob.objects.create(
        collaboration=collaboration, kind=DataJob.Kind.EXPORT, requested_by=user
    )
    from .tasks import run_data_job  # (tasks.py imports this module)

    enqueue_on_commit(run_data_job, job.pk)
    return job


def data_import_request(*, collaboration: Collaboration, raw: bytes, user) -> DataJob:
    """Check the whole upload now (ImportFailed lists its problems: nothing is queued),
    then queue its import. The same file sent twice while the first waits is one job."""
    text = decode_upload(raw)
    document = parse_document(text)
    digest = hashlib.sha256(text.encode()).hexdigest()
    pending = (
        DataJob.objects.filter(
            collaboration=collaboration,
            kind=DataJob.Kind.IMPORT,
            requested_by=user,
            content_hash=digest,
            status__in=PENDING,
        )
        .defer("document")
        .first()
    )
    if pending is not None:
        return pending
    job = DataJob.objects.create(
        collaboration=collaboration,
        kind=DataJob.Kind.IMPORT,
        requested_by=user,
        document=text,
        content_hash=digest,
        title=document["sections"]["collaboration"]["title"],
        summary=_import_summary(document["sections"]),
    )
    from .tasks import run_data_job

    enqueue_on_commit(run_data_job, job.pk)
    return job


def _import_summary(sections: dict) -> dict:
    def rows(value) -> int:
        if isinstance(value, list):
            return len(value)
        if isinstance(value, dict):
            return sum(rows(v) for v in value.values())
        return 1 if value is not None else 0

    core = {"collaboration", "partners", "memberships"}
    return {
        "partners": len(sections.get("partners", [])),
        "people": len(sections.get("memberships", [])),
        "records": sum(rows(data) for key, data in sections.items() if key not in core),
    }


def data_job_run(*, job_id: int) -> None:
    """Make the export, or apply the import, of one job: once, whoever runs it.

    The job's row stays locked while it runs, and its outcome is written in the same
    transaction: a second run (a retry, or a worker the sweep thought dead) waits, then
    finds it done. An import that fails leaves nothing behind and says why on its page.
    """
    DataJob.objects.filter(pk=job_id, status=DataJob.Status.QUEUED).update(
        status=DataJob.Status.RUNNING, started_at=timezone.now()
    )
    try:
        with transaction.atomic():
            job = DataJob.objects.select_for_update().filter(pk=job_id).first()
            if job is None or not job.is_pending:
                return
            if job.kind == DataJob.Kind.EXPORT:
                _export(job)
            else:
                _import(job)
    except ImportFailed as exc:
        log.info("Data job %s failed: %s", job_id, exc)
        data_job_fail(job_id=job_id, error=_("Nothing was imported. %(reason)s") % {"reason": exc})


def _export(job: DataJob) -> None:
    text = export_text(job.collaboration)
    DataJob.objects.filter(pk=job.pk).update(
        status=DataJob.Status.DONE, finished_at=timezone.now(), document=text, error=""
    )
    DataJob.objects.filter(collaboration_id=job.collaboration_id, kind=DataJob.Kind.EXPORT).exclude(
        status__in=PENDING
    ).exclude(pk=job.pk).delete()
    _tell_data_job_requester(
        job,
        _("Your JSON export of “%(title)s” is ready to download")
        % {"title": job.collaboration.title},
    )


def _import(job: DataJob) -> None:
    if job.requested_by is None:
        raise ImportFailed(_("The person who uploaded this file no longer has an account."))
    new, context = import_collaboration(job.document, facilitator=job.requested_by)
    DataJob.objects.filter(pk=job.pk).update(
        status=DataJob.Status.DONE,
        finished_at=timezone.now(),
        imported=new,
        invited=len(context.invited),
        document="",
        error="",
    )
    _tell_data_job_requester(
        job, _("“%(title)s” is imported: its new collaboration is ready") % {"title": new.title}
    )


def data_job_fail(*, job_id: int, error: str) -> None:
    """Record the failure; an import's upload is dropped with it (nothing was imported)."""
    failed = DataJob.objects.filter(pk=job_id, status__in=PENDING).update(
        status=DataJob.Status.FAILED, finished_at=timezone.now(), error=error, document=""
    )
    if not failed:
        return
    job = DataJob.objects.select_related("collaboration").defer("document").get(pk=job_id)
    if job.kind == DataJob.Kind.IMPORT:
        summary = _("Your import of “%(title)s” failed: nothing was imported") % {
            "title": job.title
        }
    else:
        summary = _("Your JSON export of “%(title)s” could not be made") % {
            "title": job.collaboration.title
        }
    _tell_data_job_requester(job, summary)


def _tell_data_job_requester(job: DataJob, summary: str) -> None:
    _tell_requester(job, kind=DATA_JOB_DONE, summary=summary, page="reports:data-job")
