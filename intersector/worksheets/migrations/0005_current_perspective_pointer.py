"""CurrentPerspective.perspective: the current version's row itself, kept by the trigger.

Pages then read the current rows by primary key instead of matching each answer's
(question, partner, version). The trigger is dropped while the column is added, filled for the
existing answers and made NOT NULL (on SQLite a table rebuild), then created again, now
setting the pointer too.
"""

import django.db.models.deletion
from django.db import migrations, models

# One statement for both databases: both accept the target table's name and "excluded" here.
UPSERT_CURRENT = """
    INSERT INTO worksheets_currentperspective
        (collaboration_id, question_key, partner_id, version, answered, changed_at, perspective_id)
    VALUES (NEW.collaboration_id, NEW.question_key, NEW.partner_id, NEW.version, NEW.text <> '',
            NEW.created_at, NEW.id)
    ON CONFLICT (collaboration_id, question_key, partner_id) DO UPDATE
        SET version = excluded.version, answered = excluded.answered,
            changed_at = excluded.changed_at, perspective_id = excluded.perspective_id
        WHERE worksheets_currentperspective.version < excluded.version;
"""

POSTGRESQL_FUNCTION = f"""
CREATE FUNCTION worksheets_perspective_keep_current() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{UPSERT_CURRENT}
    RETURN NULL;
END;
$$
"""
POSTGRESQL_TRIGGER = """
CREATE TRIGGER worksheets_perspective_keep_current AFTER INSERT ON worksheets_perspective
    FOR EACH ROW EXECUTE FUNCTION worksheets_perspective_keep_current()
"""
POSTGRESQL_DROP = [
    "DROP TRIGGER worksheets_perspective_keep_current ON worksheets_perspective",
    "DROP FUNCTION worksheets_perspective_keep_current()",
]

SQLITE_TRIGGER = f"""
CREATE TRIGGER worksheets_perspective_keep_current AFTER INSERT ON worksheets_perspective
BEGIN
{UPSERT_CURRENT}
END
"""
SQLITE_DROP = ["DROP TRIGGER worksheets_perspective_keep_current"]

POINT_EXISTING = """
UPDATE worksheets_currentperspective SET perspective_id = (
    SELECT p.id FROM worksheets_perspective p
    WHERE p.collaboration_id = worksheets_currentperspective.collaboration_id
      AND p.question_key = worksheets_currentperspective.question_key
      AND p.partner_id = worksheets_currentperspective.partner_id
      AND p.version = worksheets_currentperspective.version
)
"""


def _execute_for_database(schema_editor, *, postgresql: list[str], sqlite: list[str]):
    """Run this database's statements (the trigger exists for these two only)."""
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": postgresql, "sqlite": sqlite}.get(vendor)
    if statements is None:
        raise NotImplementedError(f"No CurrentPerspective trigger for {vendor}")
    for statement in statements:
        schema_editor.execute(statement)


def drop_trigger(apps, schema_editor):
    _execute_for_database(schema_editor, postgresql=POSTGRESQL_DROP, sqlite=SQLITE_DROP)


def create_trigger(apps, schema_editor):
    _execute_for_database(
        schema_editor,
        postgresql=[POSTGRESQL_FUNCTION, POSTGRESQL_TRIGGER],
        sqlite=[SQLITE_TRIGGER],
    )


# 0004's trigger, which did not set the pointer (for migrating backwards).
PREVIOUS_UPSERT_CURRENT = """
    INSERT INTO worksheets_currentperspective
        (collaboration_id, question_key, partner_id, version, answered, changed_at)
    VALUES (NEW.collaboration_id, NEW.question_key, NEW.partner_id, NEW.version, NEW.text <> '',
            NEW.created_at)
    ON CONFLICT (collaboration_id, question_key, partner_id) DO UPDATE
        SET version = excluded.version, answered = excluded.answered,
            changed_at = excluded.changed_at
        WHERE worksheets_currentperspective.version < excluded.version;
"""


def create_previous_trigger(apps, schema_editor):
    _execute_for_database(
        schema_editor,
        postgresql=[
            POSTGRESQL_FUNCTION.replace(UPSERT_CURRENT, PREVIOUS_UPSERT_CURRENT),
            POSTGRESQL_TRIGGER,
        ],
        sqlite=[SQLITE_TRIGGER.replace(UPSERT_CURRENT, PREVIOUS_UPSERT_CURRENT)],
    )


def point_existing(apps, schema_editor):
    schema_editor.execute(POINT_EXISTING)


class Migration(migrations.Migration):
    dependencies = [
        ("worksheets", "0004_current_perspective"),
    ]

    operations = [
        migrations.RunPython(drop_trigger, create_previous_trigger),
        migrations.AddField(
            model_name="currentperspective",
            name="perspective",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="worksheets.perspective",
            ),
        ),
        migrations.RunPython(point_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="currentperspective",
            name="perspective",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="worksheets.perspective",
            ),
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
