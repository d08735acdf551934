"""'Your import or export has finished': the person who asked, once per job, whatever
the outcome."""

import json

import pytest
from django.urls import reverse

from intersector.collaborations.models import Collaboration
from intersector.collaborations.registry import ImportFailed
from intersector.notifications.models import Notification
from intersector.reports import services
from intersector.reports.exports import export_collaboration
from intersector.reports.models import DataJob
from intersector.reports.tasks import data_job_give_up
from tests.reports.test_import_jobs import _fail_in_design
from tests.tasks import committed, run_queued_tasks
from tests.world import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def raw(collab, facilitator, partner_user, observer):
    return json.dumps(export_collaboration(collab)).encode()


def run(job: DataJob, *, times: int = 1) -> None:
    for _ in range(times):
        with committed():
            services.data_job_run(job_id=job.pk)
    run_queued_tasks()


def job_url(job: DataJob) -> str:
    return reverse("reports:data-job", args=[job.collaboration.slug, job.pk])


def test_a_finished_export_tells_the_person_who_asked_once(collab, facilitator, partner_user):
    job = services.data_export_request(collaboration=collab, user=facilitator)
    run(job, times=2)
    notification = Notification.objects.get()
    assert notification.recipient == facilitator
    assert notification.event.url == job_url(job)
    assert "Your JSON export of “Youth Jobs Compact” is ready" in notification.event.summary


def test_a_finished_import_tells_the_person_who_asked_once(collab, facilitator, raw):
    job = services.data_import_request(collaboration=collab, raw=raw, user=facilitator)
    run(job, times=2)
    new = Collaboration.objects.exclude(pk=collab.pk).get()
    told = Notification.objects.filter(recipient=facilitator, event__kind="data_job_done")
    assert told.count() == 1
    event = told.get().event
    assert event.collaboration == collab and event.url == job_url(job)
    assert "is imported" in event.summary
    page = client_for(facilitator).get(event.url).content.decode()
    assert f'href="/c/{new.slug}/"' in page


def test_a_failed_import_says_nothing_was_imported_once(collab, facilitator, raw, monkeypatch):
    _fail_in_design(monkeypatch, ImportFailed("design → goals 3 is not valid."))
    job = services.data_import_request(collaboration=collab, raw=raw, user=facilitator)
    run(job)
    with committed():
        services.data_job_fail(job_id=job.pk, error="again")
        data_job_give_up(job.pk)
    run_queued_tasks()
    notification = Notification.objects.get(event__kind="data_job_done")
    assert notification.recipient == facilitator
    assert "nothing was imported" in notification.event.summary
    assert notification.event.url == job_url(job)


def test_an_export_given_up_tells_the_person_who_asked(collab, facilitator):
    job = services.data_export_request(collaboration=collab, user=facilitator)
    with committed():
        data_job_give_up(job.pk)
    run_queued_tasks()
    notification = Notification.objects.get()
    assert "could not be made" in notification.event.summary


def test_the_preferences_page_lists_the_kind(facilitator):
    page = client_for(facilitator).get(reverse("notifications:preferences")).content.decode()
    assert "An import or export I asked for has finished" in page
