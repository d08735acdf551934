import csv
import io

import pytest
from django.urls import reverse

from design.models import Task
from intersector.collaborations.models import Role
from intersector.dashboards.exports import TABLES, cell
from tests.conftest import make_member, make_user
from tests.implement.factories import make_activity, make_indicator

TRICKY = 'Zoë\'s "big" café, Ærø —\nsecond line, 日本語'


def export(client, collab, name):
    return client.get(reverse("dashboards:export", args=[collab.slug, name]))


def parse(response) -> list[list[str]]:
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark for Excel"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_tasks_round_trip_through_the_csv_module(facilitator_client, collab, partner_org):
    activity = make_activity(collab, partner_org, title="Outreach, east side")
    Task.objects.create(
        collaboration=collab, activity=activity, title=TRICKY, responsible=partner_org
    )
    response = export(facilitator_client, collab, "tasks")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="youth-jobs-tasks.csv"'
    header, row = parse(response)
    assert header[:4] == ["Task", "Activity", "Goal", "Responsible partner"]
    assert row[0] == TRICKY
    assert row[1] == "Outreach, east side"
    assert row[3] == partner_org.name
    assert row[6] == "To do"


def test_indicators_with_measurements_one_row_each(facilitator_client, collab, partner_org):
    from assess.models import Measurement

    measured = make_indicator(collab, owner=partner_org, name="Placed, “in work”")
    make_indicator(collab, owner=partner_org, goal=measured.goal, name="Not measured yet")
    Measurement.objects.create(collaboration=collab, indicator=measured, value="12.50", note=TRICKY)
    Measurement.objects.create(
        collaboration=collab, indicator=measured, value=-3, measured_on="2024-01-31"
    )
    header, *rows = parse(export(facilitator_client, collab, "indicators"))
    by = [dict(zip(header, row, strict=True)) for row in rows]
    assert [(r["Indicator"], r["Measured on"], r["Value"], r["Note"]) for r in by] == [
        ("Not measured yet", "", "", ""),  # indicators in their usual order (by name here)
        ("Placed, “in work”", "2024-01-31", "-3", ""),
        ("Placed, “in work”", by[2]["Measured on"], "12.5", TRICKY),
    ]
    assert by[1]["Baseline"] == "0" and by[1]["Target"] == "200"


def test_partners_export_lists_people_with_e_mail(
    facilitator_client, collab, partner_org, partner_user
):
    header, row = parse(export(facilitator_client, collab, "partners"))
    assert row[0] == partner_org.name
    assert row[header.index("People")] == "Pat Partner <partner@test.example>"


def test_milestones_export_says_late_by_date(facilitator_client, collab, partner_org):
    import datetime

    from tests.implement.factories import make_milestone

    activity = make_activity(collab, partner_org)
    make_milestone(activity, title="Past due", due=datetime.date(2020, 1, 1), status="on_track")
    header, row = parse(export(facilitator_client, collab, "milestones"))
    assert (row[header.index("State")], row[header.index("Late")]) == ("Late", "yes")


def test_spreadsheet_formulas_are_neutralised(facilitator_client, collab, partner_org):
    activity = make_activity(collab, partner_org)
    Task.objects.create(
        collaboration=collab,
        activity=activity,
        title='=HYPERLINK("http://x")',
        responsible=partner_org,
    )
    _header, row = parse(export(facilitator_client, collab, "tasks"))
    assert row[0] == '\'=HYPERLINK("http://x")'
    assert cell(-3) == -3  # numbers are left alone


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_table_exports_for_facilitators_even_when_empty(facilitator_client, collab, name):
    response = export(facilitator_client, collab, name)
    assert response.status_code == 200
    assert len(parse(response)) == 1  # the header row


def test_who_may_download(collab, partner_user, observer, facilitator, outsider_client):
    from tests.conftest import client_for

    observer_client, partner_client = client_for(observer), client_for(partner_user)
    for name in ("tasks", "milestones", "indicators"):
        assert export(observer_client, collab, name).status_code == 200
        assert export(partner_client, collab, name).status_code == 200
    # Members' e-mail addresses: facilitators only.
    assert export(observer_client, collab, "partners").status_code == 403
    assert export(partner_client, collab, "partners").status_code == 403
    assert export(outsider_client, collab, "tasks").status_code == 404
    assert export(client_for(facilitator), collab, "no-such-table").status_code == 404


def test_observer_exports_contain_no_e_mail_addresses(collab, observer, partner_org, partner_user):
    from tests.conftest import client_for

    activity = make_activity(collab, partner_org)
    Task.objects.create(
        collaboration=collab,
        activity=activity,
        title="T",
        responsible=partner_org,
        assignee=partner_user,
    )
    assignee_only = make_user("nameless@test.example")  # no full name: must not fall back to e-mail
    make_member(assignee_only, collab, Role.PARTNER, partner_org)
    Task.objects.create(
        collaboration=collab,
        activity=activity,
        title="U",
        responsible=partner_org,
        assignee=assignee_only,
    )
    client = client_for(observer)
    for name in TABLES:
        response = export(client, collab, name)
        if response.status_code == 200:
            assert b"@" not in response.content, name
