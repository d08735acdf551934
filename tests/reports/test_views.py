"""Who may read, download and request reports (a permission table, pretix style)."""

import json

import pytest
from django.urls import reverse

from intersector.reports import urls as report_urls
from intersector.reports.models import DataJob, ReportJob
from tests.conftest import make_partner
from tests.tasks import committed, run_queued_tasks

PERSONAS = ["anonymous", "outsider", "observer", "partner", "facilitator"]

# url name -> (method, expected status per persona)
TABLE = {
    "index": ("get", {"observer": 200, "partner": 200, "facilitator": 200}),
    "view": ("get", {"observer": 200, "partner": 200, "facilitator": 200}),
    "request": ("post", {"observer": 403, "partner": 302, "facilitator": 302}),
    "job": ("get", {"observer": 200, "partner": 200, "facilitator": 200}),
    "download": ("get", {"observer": 200, "partner": 200, "facilitator": 200}),
    "export-json": ("post", {"observer": 403, "partner": 403, "facilitator": 302}),
    "data-job": ("get", {"observer": 403, "partner": 403, "facilitator": 200}),
    "data-job-download": ("get", {"observer": 403, "partner": 403, "facilitator": 200}),
    # POST without a file: facilitators get the form back with an error (422)
    "import": ("post", {"observer": 403, "partner": 403, "facilitator": 422}),
}


@pytest.fixture
def done_job(collab):
    return ReportJob.objects.create(
        collaboration=collab, status=ReportJob.Status.DONE, pdf=b"%PDF-1.7 test", page_count=1
    )


@pytest.fixture
def done_export(collab):
    return DataJob.objects.create(
        collaboration=collab,
        kind=DataJob.Kind.EXPORT,
        status=DataJob.Status.DONE,
        document='{"schema_version": 1}',
    )


@pytest.fixture
def clients(client, outsider_client, observer_client, partner_client, facilitator_client):
    return {
        "anonymous": client,
        "outsider": outsider_client,
        "observer": observer_client,
        "partner": partner_client,
        "facilitator": facilitator_client,
    }


def url_for(name, collab, job, data_job=None):
    kwargs = {"slug": collab.slug}
    if name in ("view", "request"):
        kwargs["scope"] = "all"
    if name in ("job", "download"):
        kwargs["pk"] = job.pk
    if name in ("data-job", "data-job-download"):
        kwargs["pk"] = data_job.pk
    return reverse(f"reports:{name}", kwargs=kwargs)


def test_every_report_url_is_in_the_permission_table():
    assert {p.name for p in report_urls.urlpatterns} == set(TABLE)


@pytest.mark.parametrize("name", sorted(TABLE))
@pytest.mark.parametrize("persona", PERSONAS)
def test_permissions(name, persona, clients, collab, done_job, done_export):
    method, expected = TABLE[name]
    url = url_for(name, collab, done_job, done_export)
    response = getattr(clients[persona], method)(url)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif persona == "outsider":
        assert response.status_code == 404
    else:
        assert response.status_code == expected[persona]


def test_another_collaborations_job_is_not_found(facilitator_client, collab, other_collab):
    job = ReportJob.objects.create(
        collaboration=other_collab, status=ReportJob.Status.DONE, pdf=b"%PDF", page_count=1
    )
    url = reverse("reports:download", kwargs={"slug": collab.slug, "pk": job.pk})
    assert facilitator_client.get(url).status_code == 404


def test_unknown_scope_is_not_found(observer_client, collab):
    url = reverse("reports:view", kwargs={"slug": collab.slug, "scope": "nonsense"})
    assert observer_client.get(url).status_code == 404


def test_print_view_is_the_report_with_a_toolbar(observer_client, collab, partner_org):
    url = reverse("reports:view", kwargs={"slug": collab.slug, "scope": "design"})
    html = observer_client.get(url + "?paper=letter").content.decode()
    assert html.count("<h1") == 1
    assert "Bright Futures" in html
    assert "css/report-letter.css" in html
    assert "report-toolbar" in html
    assert "Establish a Governance Structure" in html


def test_observer_downloads_a_prepared_pdf(observer_client, collab, done_job):
    response = observer_client.get(url_for("download", collab, done_job))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response.content == b"%PDF-1.7 test"


def test_partner_requests_a_pdf_and_waits_for_it(partner_client, collab):
    response = partner_client.post(url_for("request", collab, None), {"paper": "letter"})
    job = ReportJob.objects.get()
    assert job.paper == "letter" and job.status == ReportJob.Status.QUEUED
    assert response["Location"] == url_for("job", collab, job)
    page = partner_client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert ">Refresh<" in page  # works without JavaScript too
    partial = partner_client.get(response["Location"], headers={"HX-Request": "true"})
    assert b"<h1" not in partial.content and b'id="job-status"' in partial.content


def test_finished_job_page_offers_the_download_and_stops_polling(observer_client, collab, done_job):
    page = observer_client.get(url_for("job", collab, done_job)).content.decode()
    assert "Download PDF" in page
    assert "hx-trigger" not in page


def test_the_worker_renders_the_requested_pdf_and_the_job_page_offers_it(
    facilitator_client, collab
):
    with committed():
        response = facilitator_client.post(url_for("request", collab, None))
    run_queued_tasks()
    response = facilitator_client.get(response["Location"])
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.DONE
    assert b"Download PDF" in response.content
    pdf = facilitator_client.get(url_for("download", collab, job))
    assert pdf.content.startswith(b"%PDF")


def test_json_export_is_made_by_the_worker_and_downloads_as_an_attachment(
    facilitator_client, collab, partner_org
):
    with committed():
        response = facilitator_client.post(url_for("export-json", collab, None))
    job = DataJob.objects.get()
    assert job.kind == DataJob.Kind.EXPORT and job.status == DataJob.Status.QUEUED
    assert response["Location"] == url_for("data-job", collab, None, job)
    page = facilitator_client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'http-equiv="refresh"' in page
    assert run_queued_tasks() == 2  # the export, then telling the facilitator it is ready
    page = facilitator_client.get(response["Location"]).content.decode()
    assert "Your JSON export is ready" in page and "every 1s" not in page
    download = facilitator_client.get(url_for("data-job-download", collab, None, job))
    assert download["Content-Type"] == "application/json"
    assert download["Content-Disposition"].startswith(f'attachment; filename="{collab.slug}-')
    document = json.loads(download.content)
    assert document["schema_version"] == 1
    assert document["sections"]["partners"][0]["name"] == "Bright Futures"
    assert "password" not in download.content.decode()


def test_asking_twice_while_an_export_is_made_is_one_job(facilitator_client, collab):
    first = facilitator_client.post(url_for("export-json", collab, None))
    second = facilitator_client.post(url_for("export-json", collab, None))
    assert first["Location"] == second["Location"] and DataJob.objects.count() == 1


def test_only_the_newest_export_is_kept(facilitator_client, collab, done_export):
    with committed():
        facilitator_client.post(url_for("export-json", collab, None))
    run_queued_tasks()
    newest = DataJob.objects.get()
    assert newest.pk != done_export.pk and newest.status == DataJob.Status.DONE


def test_another_collaborations_data_job_is_not_found(facilitator_client, collab, other_collab):
    job = DataJob.objects.create(
        collaboration=other_collab,
        kind=DataJob.Kind.EXPORT,
        status=DataJob.Status.DONE,
        document="{}",
    )
    for name in ("data-job", "data-job-download"):
        url = reverse(f"reports:{name}", kwargs={"slug": collab.slug, "pk": job.pk})
        assert facilitator_client.get(url).status_code == 404


def test_overview_links_to_the_reports(observer_client, collab):
    page = observer_client.get(reverse("worksheets:overview", kwargs={"slug": collab.slug}))
    assert reverse("reports:index", kwargs={"slug": collab.slug}).encode() in page.content


@pytest.mark.parametrize("name", ["index", "view"])
@pytest.mark.parametrize("n_partners", [2, 20])
def test_query_count_does_not_grow_with_partners(
    name, n_partners, observer_client, collab, done_job, django_assert_max_num_queries
):
    for i in range(n_partners):
        make_partner(collab, f"Partner {i}")
    # The print view runs each stage artefact's own context function once (a fixed number
    # of queries each); tests/reports/test_content.py checks it is the same at two sizes.
    with django_assert_max_num_queries(8 if name == "index" else 45):
        assert observer_client.get(url_for(name, collab, done_job)).status_code == 200
