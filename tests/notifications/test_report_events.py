"""'Your report is ready': the person who asked, and only them."""

import pytest
from django.urls import reverse

from intersector.collaborations.models import Membership
from intersector.notifications.models import Notification
from intersector.reports import services
from intersector.reports.models import ReportJob
from tests.tasks import committed, run_queued_tasks

pytestmark = pytest.mark.django_db

HTML = "<!doctype html><html><body><p>A small report.</p></body></html>"


def finish(job: ReportJob) -> None:
    with committed():
        services.report_job_run(job=job, html=HTML)
    run_queued_tasks()


def test_the_person_who_asked_is_told_with_a_link_to_the_job_page(
    collab, facilitator, partner_user, observer
):
    job = ReportJob.objects.create(collaboration=collab, requested_by=partner_user)
    finish(job)
    notification = Notification.objects.get()
    assert notification.recipient == partner_user
    assert notification.event.url == reverse("reports:job", args=[collab.slug, job.pk])
    assert "is ready" in notification.event.summary


def test_a_job_that_takes_the_kept_pdf_tells_its_requester_too(collab, facilitator, partner_user):
    finish(ReportJob.objects.create(collaboration=collab, requested_by=facilitator))
    finish(ReportJob.objects.create(collaboration=collab, requested_by=partner_user))
    assert set(Notification.objects.values_list("recipient__email", flat=True)) == {
        facilitator.email,
        partner_user.email,
    }


def test_a_requester_removed_meanwhile_is_not_told(collab, facilitator, partner_user):
    job = ReportJob.objects.create(collaboration=collab, requested_by=partner_user)
    Membership.objects.filter(user=partner_user).delete()
    finish(job)
    assert not Notification.objects.exists()


def test_a_failed_report_tells_nobody_it_is_ready(collab, partner_user):
    job = ReportJob.objects.create(collaboration=collab, requested_by=partner_user)
    with committed():
        services.report_job_fail(job_id=job.pk, error="no")
    run_queued_tasks()
    assert not Notification.objects.exists()
