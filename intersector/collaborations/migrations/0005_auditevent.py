"""The membership audit log moves here from invitations: only Django's idea of which app
owns the model changes. The table keeps its name (``Meta.db_table``) and its rows; the
content type moves with the model, so admin permissions on it keep working."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="invitations", model="auditevent").update(
        app_label="collaborations"
    )


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="collaborations", model="auditevent").update(
        app_label="invitations"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("collaborations", "0004_remove_change_markers"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("invitations", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("action", models.CharField(choices=[("member_added", "added a member"), ("role_changed", "changed a role"), ("member_removed", "removed a member"), ("invited", "invited"), ("invitation_resent", "resent an invitation"), ("invitation_revoked", "revoked an invitation"), ("invitation_accepted", "accepted an invitation")], max_length=32)),
                        ("actor_name", models.CharField(max_length=255)),
                        ("subject_email", models.EmailField(max_length=254, verbose_name="on whom")),
                        ("detail", models.CharField(blank=True, max_length=500)),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("actor", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("collaboration", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="audit_events", to="collaborations.collaboration")),
                    ],
                    options={
                        "db_table": "invitations_auditevent",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
            ],
            database_operations=[
                migrations.RunPython(move_content_type, move_content_type_back),
            ],
        ),
    ]
