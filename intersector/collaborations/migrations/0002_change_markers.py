"""The collaborations' change markers and the triggers that move them (change_markers.py)."""

from django.db import migrations, models

from intersector.collaborations import change_markers


def install(apps, schema_editor):
    change_markers.install(schema_editor, with_functions=True)


def uninstall(apps, schema_editor):
    change_markers.uninstall(schema_editor, with_functions=True)


class Migration(migrations.Migration):
    dependencies = [
        ("collaborations", "0001_initial"),
        ("accounts", "0001_initial"),
        ("worksheets", "0005_current_perspective_pointer"),
        ("reports", "0001_initial"),
        ("invitations", "0001_initial"),
        ("diagnose", "0002_restrict_references"),
        ("design", "0002_restrict_references"),
        ("implement", "0002_restrict_references"),
        ("assess", "0002_restrict_references"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChangeMarker",
            fields=[
                ("collaboration_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("version", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(install, uninstall),
    ]
