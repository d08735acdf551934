"""The report task (one PDF per job) and the JSON export/import task, run by the task worker
(``manage.py db_worker``)."""

import weasyprint  # noqa: F401  (imported once by the worker: each forked renderer starts warm)

from intersector.background.tasks import background_task

from . import services
from .models import ReportJob


def report_job_give_up(job_id: int) -> None:
    services.report_job_fail(
        job_id=job_id,
        error="The report worker stopped while preparing this report, more than once. "
        "Please ask again; if it happens again, try a single stage.",
    )


@background_task(give_up=report_job_give_up)
def render_report(job_id: int) -> None:
    job = ReportJob.objects.filter(pk=job_id).first()
    if job is None or not job.is_pending:  # done already, or deleted with its collaboration
        return
    services.report_job_run(job=job)


def data_job_give_up(job_id: int) -> None:
    services.data_job_fail(
        job_id=job_id,
        error="The worker stopped before finishing this, more than once; nothing was "
        "changed or imported. Please try again later; if it happens again, tell the site's "
        "administrator.",
    )


@background_task(give_up=data_job_give_up)
def run_data_job(job_id: int) -> None:
    services.data_job_run(job_id=job_id)
