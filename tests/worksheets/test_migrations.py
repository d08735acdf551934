"""Migrations that change data people already wrote."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("worksheets", "0004_current_perspective")]
AFTER = [("worksheets", "0005_current_perspective_pointer")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_pointer_migration_points_existing_answers_at_their_current_version():
    apps = migrate(BEFORE)
    try:
        collaboration = apps.get_model("collaborations", "Collaboration").objects.create(
            title="Before", slug="before", problem_statement="x"
        )
        partner = apps.get_model("collaborations", "Partner").objects.create(
            collaboration=collaboration, name="Org", sector="business"
        )
        Perspective = apps.get_model("worksheets", "Perspective")
        rows = {
            version: Perspective.objects.create(
                collaboration=collaboration,
                question_key="diagnose.engage.who-is-affected",
                partner=partner,
                version=version,
                text=f"v{version}",
                created_at=timezone.now(),
            )
            for version in (1, 2)
        }

        apps = migrate(AFTER)
        current = apps.get_model("worksheets", "CurrentPerspective").objects.get()
        assert current.perspective_id == rows[2].pk
        # and the trigger keeps pointing as new versions arrive
        newer = apps.get_model("worksheets", "Perspective").objects.create(
            collaboration_id=collaboration.pk,
            question_key="diagnose.engage.who-is-affected",
            partner_id=partner.pk,
            version=3,
            text="v3",
            created_at=timezone.now(),
        )
        current.refresh_from_db()
        assert (current.version, current.perspective_id) == (3, newer.pk)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
