"""Migrations that change data people already wrote."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# Answers as append-only versions, the newest pointed at by a trigger-kept table.
BEFORE = [("worksheets", "0005_current_perspective_pointer")]
KEY = "diagnose.engage.who-is-affected"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_versions_become_revisions_and_the_newest_the_current_answer():
    apps = migrate(BEFORE)
    try:
        collaboration = apps.get_model("collaborations", "Collaboration").objects.create(
            title="Before", slug="before", problem_statement="x"
        )
        partner = apps.get_model("collaborations", "Partner").objects.create(
            collaboration=collaboration, name="Org", sector="business"
        )
        Perspective = apps.get_model("worksheets", "Perspective")
        Consensus = apps.get_model("worksheets", "Consensus")
        first_at = timezone.now() - timezone.timedelta(days=1)
        for version in (1, 2, 3):
            Perspective.objects.create(
                collaboration=collaboration,
                question_key=KEY,
                partner=partner,
                version=version,
                text=f"v{version}",
                created_at=first_at + timezone.timedelta(hours=version),
            )
        for version, status in ((1, "open"), (2, "agreed")):
            Consensus.objects.create(
                collaboration=collaboration,
                question_key=KEY,
                version=version,
                text=f"agreed v{version}",
                status=status,
                created_at=first_at + timezone.timedelta(hours=version),
            )

        apps = migrate(leaves())
        current = apps.get_model("worksheets", "Perspective").objects.get()
        assert (current.version, current.text) == (3, "v3")
        assert current.created_at == first_at + timezone.timedelta(hours=1)
        assert current.updated_at == first_at + timezone.timedelta(hours=3)
        revisions = apps.get_model("worksheets", "PerspectiveRevision").objects.order_by("version")
        assert list(revisions.values_list("version", "text")) == [
            (1, "v1"),
            (2, "v2"),
            (3, "v3"),
        ]
        agreed = apps.get_model("worksheets", "Consensus").objects.get()
        assert (agreed.version, agreed.status) == (2, "agreed")
        assert apps.get_model("worksheets", "ConsensusRevision").objects.count() == 2
        # No trigger is left behind: a plain update of the current row writes nothing else.
        apps.get_model("worksheets", "Perspective").objects.update(text="v4", version=4)
        assert revisions.count() == 3
    finally:
        migrate(leaves())
