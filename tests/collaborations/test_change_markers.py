"""Every write to a collaboration's data moves its change marker, whichever way it is made."""

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import reverse

from intersector.collaborations.change_markers import (
    ANSWERS_TABLES,
    ANSWERS_TRIGGER,
    MARKED_TABLES,
    UNMARKED_TABLES,
    marked_tables,
)
from intersector.collaborations.models import ChangeMarker, Collaboration, Partner, Sector
from intersector.worksheets.models import Perspective
from tests.conftest import make_collaboration, make_partner
from tests.dashboards.helpers import agree, answer


def marker(collaboration) -> int | None:
    row = ChangeMarker.objects.filter(collaboration_id=collaboration.pk).first()
    return row.version if row else None


def tables_of_collaborations() -> set[str]:
    return {
        model._meta.db_table
        for model in apps.get_models()
        if "collaboration_id" in {field.column for field in model._meta.concrete_fields}
    }


@pytest.mark.django_db
def test_every_table_holding_a_collaborations_data_moves_its_marker():
    # A new table with a collaboration_id fails here until its migration calls
    # change_markers.install for it (and MARKED_TABLES names it).
    assert set(MARKED_TABLES) == tables_of_collaborations() - UNMARKED_TABLES
    assert marked_tables(connection) == set(MARKED_TABLES) | {
        Collaboration._meta.db_table,
        apps.get_model("accounts", "User")._meta.db_table,
    }


@pytest.mark.django_db
def test_the_answers_marker_moves_on_writes_to_the_current_answers_and_agreed_answers():
    assert marked_tables(connection, ANSWERS_TRIGGER) == set(ANSWERS_TABLES)


def test_orm_saves_queryset_updates_bulk_creates_and_deletes_each_move_the_marker(
    collab, partner_org, other_collab
):
    elsewhere = marker(other_collab)
    seen = [marker(collab)]

    def moved():
        seen.append(marker(collab))
        return seen[-1] > seen[-2]

    partner = make_partner(collab, "River Trust")
    assert moved()
    Partner.objects.filter(pk=partner.pk).update(influence=5)
    assert moved()
    Partner.objects.bulk_create(
        [Partner(collaboration=collab, name=f"Partner {n}", sector=Sector.BUSINESS) for n in "AB"]
    )
    assert moved()
    Partner.objects.filter(name__startswith="Partner ").delete()
    assert moved()
    partner_org.delete()  # its members' speaking-for is set to NULL with it
    assert moved()
    collab.title = "Renamed"
    collab.save()
    assert moved()
    assert marker(other_collab) == elsewhere


def test_the_autosaves_raw_insert_moves_the_marker(partner_client, partner_org, collab):
    before = marker(collab)
    response = partner_client.post(
        reverse(
            "worksheets:perspective-save",
            kwargs={"slug": collab.slug, "question_key": "diagnose.engage.who-else-works-on-it"},
        ),
        {"text": "We run two clubs.", "base_version": 0},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert Perspective.objects.filter(partner=partner_org).exists()
    assert marker(collab) > before


def test_renaming_a_person_moves_every_marker_and_signing_in_moves_none(
    facilitator, collab, other_collab
):
    before = (marker(collab), marker(other_collab))
    facilitator.last_login = facilitator.date_joined
    facilitator.save(update_fields=["last_login"])
    assert (marker(collab), marker(other_collab)) == before
    facilitator.full_name = "Frances Facilitator"
    facilitator.save()
    # Their name is on everything they wrote, even where they are no longer a member.
    assert marker(collab) > before[0] and marker(other_collab) > before[1]


def test_a_deleted_collaboration_leaves_no_marker(collab, partner_org):
    pk = collab.pk
    collab.delete()
    assert not ChangeMarker.objects.filter(collaboration_id=pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's triggers are immediate")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_marker_moves_when_the_write_commits_not_before():
    collab = make_collaboration("Clean Rivers", slug="clean-rivers")
    before = marker(collab)
    with transaction.atomic():
        make_partner(collab, "River Trust")
        # Not yet: until commit nobody else sees the partner, and its marker row stays free.
        assert marker(collab) == before
    assert marker(collab) > before
    assert Partner.objects.filter(collaboration=collab).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's triggers are immediate")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_deleted_collaboration_with_answers_leaves_no_marker():
    collab = make_collaboration("Clean Rivers", slug="clean-rivers")
    answer(make_partner(collab, "River Trust"), "diagnose.engage.who", "We run two clubs.")
    agree(collab, "diagnose.engage.who")
    row = ChangeMarker.objects.get(collaboration_id=collab.pk)
    assert row.answers_version > 0  # moved by the first answer, at its commit
    pk = collab.pk
    collab.delete()
    assert not ChangeMarker.objects.filter(collaboration_id=pk).exists()
