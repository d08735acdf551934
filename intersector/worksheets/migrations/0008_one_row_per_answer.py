"""One current row per answer, and the index the dashboard's activity feed reads."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("worksheets", "0007_answers_to_revisions")]

    operations = [
        migrations.AddConstraint(
            model_name="perspective",
            constraint=models.UniqueConstraint(
                fields=("collaboration", "question_key", "partner"),
                name="perspective_one_per_answer",
            ),
        ),
        migrations.AddConstraint(
            model_name="consensus",
            constraint=models.UniqueConstraint(
                fields=("collaboration", "question_key"), name="consensus_one_per_question"
            ),
        ),
        migrations.AddIndex(
            model_name="perspective",
            index=models.Index(fields=["collaboration", "updated_at"], name="perspective_recent"),
        ),
        migrations.AddIndex(
            model_name="consensus",
            index=models.Index(fields=["collaboration", "updated_at"], name="consensus_recent"),
        ),
    ]
