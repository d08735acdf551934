"""The collaborations' change markers (removed again by 0004).

On databases made before the markers were removed, this migration also created the
triggers that moved them; 0004 drops those. A fresh database never gets them.
"""

from django.db import migrations, models


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
    ]
