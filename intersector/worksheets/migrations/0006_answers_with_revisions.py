"""Answers become one current row each, with their versions as revision rows.

This migration changes the schema: it drops the trigger that kept ``CurrentPerspective``
and the table itself, creates the revision tables and adds ``updated_at``. 0007 moves the
data, 0008 adds the one-row-per-answer constraints.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS worksheets_perspective_keep_current ON worksheets_perspective",
    "DROP FUNCTION IF EXISTS worksheets_perspective_keep_current()",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS worksheets_perspective_keep_current"]


def drop_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("collaborations", "0004_remove_change_markers"),
        ("worksheets", "0005_current_perspective_pointer"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_trigger, migrations.RunPython.noop),
        migrations.DeleteModel(name="CurrentPerspective"),
        migrations.CreateModel(
            name="PerspectiveRevision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("question_key", models.CharField(max_length=120)),
                ("version", models.PositiveIntegerField()),
                ("text", models.TextField(blank=True, max_length=10000)),
                ("created_at", models.DateTimeField()),
                ("author", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("collaboration", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="collaborations.collaboration")),
                ("partner", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="collaborations.partner")),
            ],
            options={
                "ordering": ["question_key", "partner_id", "version"],
                "constraints": [
                    models.UniqueConstraint(fields=("collaboration", "question_key", "partner", "version"), name="perspective_revision_one_per_version")
                ],
            },
        ),
        migrations.CreateModel(
            name="ConsensusRevision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("question_key", models.CharField(max_length=120)),
                ("version", models.PositiveIntegerField()),
                ("text", models.TextField(blank=True, max_length=10000)),
                ("status", models.CharField(choices=[("open", "Open"), ("discussed", "Discussed"), ("agreed", "Agreed")], default="open", max_length=20)),
                ("created_at", models.DateTimeField()),
                ("author", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("collaboration", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="collaborations.collaboration")),
            ],
            options={
                "ordering": ["question_key", "version"],
                "constraints": [
                    models.UniqueConstraint(fields=("collaboration", "question_key", "version"), name="consensus_revision_one_per_version")
                ],
            },
        ),
        migrations.RemoveConstraint(model_name="perspective", name="perspective_one_row_per_version"),
        migrations.RemoveConstraint(model_name="consensus", name="consensus_one_row_per_version"),
        migrations.AddField(
            model_name="perspective",
            name="updated_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="consensus",
            name="updated_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name="perspective",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name="perspective",
            name="version",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AlterField(
            model_name="consensus",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name="consensus",
            name="version",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AlterField(
            model_name="consensus",
            name="collaboration",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="agreed_answers", to="collaborations.collaboration"),
        ),
        migrations.AlterModelOptions(name="perspective", options={"ordering": ["question_key", "partner_id"]}),
        migrations.AlterModelOptions(
            name="consensus",
            options={"ordering": ["question_key"], "verbose_name_plural": "agreed answers"},
        ),
    ]
