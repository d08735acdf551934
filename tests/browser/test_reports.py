import io

from django.core.management import call_command

from intersector.demo.management.commands.seed_demo import DEMO_PASSWORD, DEMO_SLUG
from intersector.reports.models import ReportJob
from tests.tasks import run_queued_tasks

from .conftest import axe_violations, sign_in

REPORTS = f"/c/{DEMO_SLUG}/report/"


def prepare_and_download(page, button: str) -> bytes:
    """Ask for the PDF, let the report worker take the job, download it from the job page."""
    page.goto(REPORTS)
    page.get_by_role("button", name=button).click()
    page.get_by_role("heading", level=1, name="PDF report").wait_for()
    run_queued_tasks()
    download_link = page.get_by_role("link", name="Download PDF")
    download_link.wait_for()  # the status region polls until the job is done
    assert axe_violations(page) == []
    with page.expect_download() as download:
        download_link.click()
    return download.value.path().read_bytes()


def test_facilitator_prepares_a_pdf_and_asking_again_unchanged_reuses_it(page, transactional_db):
    call_command("seed_demo", stdout=io.StringIO())
    sign_in(page, "facilitator@example.org", DEMO_PASSWORD)

    pdf = prepare_and_download(page, "Prepare PDF — Design stage")
    assert pdf.startswith(b"%PDF")
    first = ReportJob.objects.get(scope="design")

    # Nothing changed: a job of its own, finished with the kept PDF instead of a new render.
    again = prepare_and_download(page, "Prepare again — Design stage")
    assert again == pdf
    job = ReportJob.objects.get(scope="design")
    assert job.pk != first.pk and job.render_seconds == first.render_seconds
