"""Remove the change markers and every trigger and function that moved them.

Databases migrated before the markers were removed carry triggers named after
``mark_collaboration_changed`` and ``mark_answers_changed`` on many tables; a fresh one has
none. On PostgreSQL dropping the trigger functions with CASCADE drops every trigger that
runs them; SQLite has no functions, so its triggers are found by name in its catalogue.
"""

from django.db import migrations

POSTGRESQL_FUNCTIONS = (
    "mark_collaboration_changed()",
    "mark_collaboration_changed_itself()",
    "mark_collaboration_changed_by_person()",
    "mark_answers_changed()",
)
TRIGGER_NAMES = ("mark_collaboration_changed", "mark_answers_changed")


def drop_triggers(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for function in POSTGRESQL_FUNCTIONS:
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {function} CASCADE")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            names = [row[0] for row in cursor.fetchall()]
        for name in names:
            if any(trigger in name for trigger in TRIGGER_NAMES):
                schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("collaborations", "0003_answers_marker")]

    operations = [
        migrations.RunPython(drop_triggers, migrations.RunPython.noop),
        migrations.DeleteModel(name="ChangeMarker"),
    ]
