"""A JSON import is checked in the request and applied by the worker: all or nothing, once."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from intersector.collaborations.models import Collaboration, Partner, Role
from intersector.collaborations.registry import ImportFailed
from intersector.reports import services
from intersector.reports.exports import export_collaboration
from intersector.reports.models import DataJob
from intersector.reports.tasks import data_job_give_up
from tests.conftest import make_partner
from tests.tasks import committed, run_queued_tasks


@pytest.fixture
def raw(collab, partner_org, facilitator, partner_user, observer):
    make_partner(collab, "Second Org")
    return json.dumps(export_collaboration(collab), ensure_ascii=False).encode()


def upload(client, collab, content: bytes):
    return client.post(
        reverse("reports:import", kwargs={"slug": collab.slug}),
        {"file": SimpleUploadedFile("export.json", content, content_type="application/json")},
    )


def test_the_upload_returns_at_once_and_the_worker_imports_the_file(
    facilitator_client, facilitator, collab, raw
):
    with committed():
        response = upload(facilitator_client, collab, raw)
    job = DataJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "reports:data-job", kwargs={"slug": collab.slug, "pk": job.pk}
    )
    assert Collaboration.objects.count() == 1  # nothing imported yet: the worker does it
    page = facilitator_client.get(response["Location"]).content.decode()
    assert "2 partner organisations, 3 people" in page
    assert 'hx-trigger="every 1s"' in page  # htmx polls …
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page  # … or not
    assert run_queued_tasks() >= 1
    new = Collaboration.objects.exclude(pk=collab.pk).get()
    assert new.memberships.get(user=facilitator).role == Role.FACILITATOR
    assert set(new.partners.values_list("name", flat=True)) == {"Bright Futures", "Second Org"}
    page = facilitator_client.get(response["Location"]).content.decode()
    assert "Imported" in page and "2 people listed in the file were invited" in page
    assert f'href="/c/{new.slug}/"' in page and "every 1s" not in page
    assert "http-equiv" not in page
    job.refresh_from_db()
    assert job.status == DataJob.Status.DONE and job.imported == new and job.document == ""


def test_the_polled_status_is_the_fragment_alone(facilitator_client, collab, raw):
    response = upload(facilitator_client, collab, raw)
    fragment = facilitator_client.get(response["Location"], headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert html.lstrip().startswith('<div id="job-status"') and "<h1" not in html


def test_a_malformed_file_is_answered_at_once_and_queues_nothing(facilitator_client, collab, raw):
    document = json.loads(raw)
    document["sections"]["memberships"][0]["partner"] = ["a", "list"]
    response = upload(facilitator_client, collab, json.dumps(document).encode())
    assert response.status_code == 422
    assert "<code>memberships[0].partner</code>" in response.content.decode()
    assert not DataJob.objects.exists()


def test_running_the_import_twice_imports_it_once(collab, facilitator, raw):
    with committed():
        job = services.data_import_request(collaboration=collab, raw=raw, user=facilitator)
    services.data_job_run(job_id=job.pk)
    services.data_job_run(job_id=job.pk)
    assert Collaboration.objects.count() == 2


def test_an_import_whose_worker_died_is_imported_on_the_next_attempt(collab, facilitator, raw):
    """Killed mid-import: its transaction never committed, the job still says running."""
    job = services.data_import_request(collaboration=collab, raw=raw, user=facilitator)
    DataJob.objects.filter(pk=job.pk).update(status=DataJob.Status.RUNNING)
    services.data_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == DataJob.Status.DONE and Collaboration.objects.count() == 2


def test_sending_the_same_file_twice_while_it_waits_is_one_import(facilitator_client, collab, raw):
    first = upload(facilitator_client, collab, raw)
    second = upload(facilitator_client, collab, raw)
    assert first["Location"] == second["Location"] and DataJob.objects.count() == 1


def _fail_in_design(monkeypatch, error):
    """Make the import fail late, after the collaboration, partners and invitations exist."""
    from intersector.collaborations import registry

    sections = dict(registry._export_sections)
    design = sections["design"]

    def load(collaboration, data, context):
        raise error

    monkeypatch.setitem(
        registry._export_sections,
        "design",
        registry.ExportSection(key="design", export=design.export, load=load, specs=design.specs),
    )


def test_a_failed_import_leaves_nothing_and_says_why_on_its_page(
    facilitator_client, collab, raw, monkeypatch
):
    _fail_in_design(monkeypatch, ImportFailed("design → goals 3 is not valid (title: too long)."))
    with committed():
        response = upload(facilitator_client, collab, raw)
    partners = Partner.objects.count()
    run_queued_tasks()
    job = DataJob.objects.get()
    assert job.status == DataJob.Status.FAILED and job.document == ""
    assert Collaboration.objects.count() == 1 and Partner.objects.count() == partners
    page = facilitator_client.get(response["Location"]).content.decode()
    assert "The file could not be imported" in page
    assert "Nothing was imported. design → goals 3 is not valid" in page


def test_a_crash_in_the_worker_rolls_back_and_is_retried_then_given_up(
    collab, facilitator, raw, monkeypatch
):
    _fail_in_design(monkeypatch, RuntimeError("the worker's bug"))
    job = services.data_import_request(collaboration=collab, raw=raw, user=facilitator)
    with pytest.raises(RuntimeError):
        services.data_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == DataJob.Status.RUNNING  # its task tries again later
    assert Collaboration.objects.count() == 1
    data_job_give_up(job.pk)
    job.refresh_from_db()
    assert job.status == DataJob.Status.FAILED and "nothing was changed" in job.error


def test_only_facilitators_of_the_collaboration_see_an_import_job(
    facilitator_client, partner_client, observer_client, outsider_client, collab, raw
):
    response = upload(facilitator_client, collab, raw)
    url = response["Location"]
    assert facilitator_client.get(url).status_code == 200
    assert partner_client.get(url).status_code == 403
    assert observer_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 404
