"""The membership audit log now belongs to collaborations (its 0004): forget the model here,
keep the table, which collaborations' AuditEvent goes on using."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("invitations", "0001_initial"),
        ("collaborations", "0005_auditevent"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEvent")],
            database_operations=[],
        ),
    ]
