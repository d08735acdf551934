"""The answers marker (removed again by 0004, which also drops the triggers this migration
created on databases made before the markers were removed)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("collaborations", "0002_change_markers")]

    operations = [
        # Added in place: Django's AddField rebuilds the table on SQLite, and the triggers of
        # every marked table, which write to it, stop finding it.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="changemarker",
                    name="answers_version",
                    field=models.BigIntegerField(db_default=0),
                )
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE collaborations_changemarker "
                    "ADD COLUMN answers_version bigint DEFAULT 0 NOT NULL",
                    "ALTER TABLE collaborations_changemarker DROP COLUMN answers_version",
                )
            ],
        ),
    ]
