"""The answers marker: moves when who answered what, or what is agreed, changes
(change_markers.py)."""

from django.db import migrations, models

from intersector.collaborations import change_markers


def install(apps, schema_editor):
    change_markers.install_answers(schema_editor)


def uninstall(apps, schema_editor):
    change_markers.uninstall_answers(schema_editor)


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
        migrations.RunPython(install, uninstall),
    ]
