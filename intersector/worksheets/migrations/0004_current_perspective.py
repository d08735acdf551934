"""CurrentPerspective: the newest version of each answer, kept by a trigger on Perspective.

The trigger upserts the answer's row after every inserted version, keeping the higher
version, so concurrent saves of different answers never touch the same row and a stale
insert (impossible by the save's condition, but cheap to guard) never moves it back. The
existing versions are copied in. The partial index and the extended statistics that served
the old "newest of all versions" queries are dropped.
"""

import django.db.models.deletion
from django.db import migrations, models

COLUMNS = "collaboration_id, question_key, partner_id, version, answered, changed_at"

POSTGRESQL_FUNCTION = f"""
CREATE FUNCTION worksheets_perspective_keep_current() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO worksheets_currentperspective ({COLUMNS})
    VALUES (NEW.collaboration_id, NEW.question_key, NEW.partner_id, NEW.version, NEW.text <> '',
            NEW.created_at)
    ON CONFLICT (collaboration_id, question_key, partner_id) DO UPDATE
        SET version = EXCLUDED.version, answered = EXCLUDED.answered,
            changed_at = EXCLUDED.changed_at
        WHERE worksheets_currentperspective.version < EXCLUDED.version;
    RETURN NULL;
END;
$$
"""
POSTGRESQL_TRIGGER = """
CREATE TRIGGER worksheets_perspective_keep_current AFTER INSERT ON worksheets_perspective
    FOR EACH ROW EXECUTE FUNCTION worksheets_perspective_keep_current()
"""

SQLITE_TRIGGER = f"""
CREATE TRIGGER worksheets_perspective_keep_current AFTER INSERT ON worksheets_perspective
BEGIN
    INSERT INTO worksheets_currentperspective ({COLUMNS})
    VALUES (NEW.collaboration_id, NEW.question_key, NEW.partner_id, NEW.version, NEW.text <> '',
            NEW.created_at)
    ON CONFLICT (collaboration_id, question_key, partner_id) DO UPDATE
        SET version = excluded.version, answered = excluded.answered,
            changed_at = excluded.changed_at
        WHERE version < excluded.version;
END
"""

COPY_EXISTING = f"""
INSERT INTO worksheets_currentperspective ({COLUMNS})
SELECT p.collaboration_id, p.question_key, p.partner_id, p.version, p.text <> '', p.created_at
FROM worksheets_perspective p
WHERE p.version = (
    SELECT MAX(q.version) FROM worksheets_perspective q
    WHERE q.collaboration_id = p.collaboration_id
      AND q.question_key = p.question_key
      AND q.partner_id = p.partner_id
)
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"No CurrentPerspective trigger for {vendor}")
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FUNCTION)
        schema_editor.execute(POSTGRESQL_TRIGGER)
        schema_editor.execute("DROP STATISTICS IF EXISTS perspective_answer_ndistinct")
    else:
        schema_editor.execute(SQLITE_TRIGGER)
    schema_editor.execute(COPY_EXISTING)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER worksheets_perspective_keep_current ON worksheets_perspective"
        )
        schema_editor.execute("DROP FUNCTION worksheets_perspective_keep_current()")
        schema_editor.execute(
            "CREATE STATISTICS IF NOT EXISTS perspective_answer_ndistinct (ndistinct) "
            "ON collaboration_id, question_key, partner_id FROM worksheets_perspective"
        )
    else:
        schema_editor.execute("DROP TRIGGER worksheets_perspective_keep_current")


class Migration(migrations.Migration):

    dependencies = [
        ('collaborations', '0001_initial'),
        ('worksheets', '0003_perspective_answer_ndistinct'),
    ]

    operations = [
        migrations.CreateModel(
            name='CurrentPerspective',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('question_key', models.CharField(max_length=120)),
                ('version', models.PositiveIntegerField()),
                ('answered', models.BooleanField()),
                ('changed_at', models.DateTimeField()),
            ],
        ),
        migrations.RemoveIndex(
            model_name='perspective',
            name='perspective_blank_versions',
        ),
        migrations.AddField(
            model_name='currentperspective',
            name='collaboration',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='collaborations.collaboration'),
        ),
        migrations.AddField(
            model_name='currentperspective',
            name='partner',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='collaborations.partner'),
        ),
        migrations.AddIndex(
            model_name='currentperspective',
            index=models.Index(fields=['collaboration', 'changed_at'], name='current_perspective_recent'),
        ),
        migrations.AddConstraint(
            model_name='currentperspective',
            constraint=models.UniqueConstraint(fields=('collaboration', 'question_key', 'partner'), name='current_perspective_one_per_answer'),
        ),
        migrations.RunPython(forwards, backwards),
    ]
