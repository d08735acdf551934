"""Answers to the toolkit's guiding questions.

Answers are **append-only versions**. Saving a perspective or an agreed answer never updates a
row: it inserts version ``base + 1`` of that answer, where ``base`` is the version the writer
started from. The insert is conditional (it happens only while ``base`` is still the latest
version) and a unique constraint on the answer's identity plus ``version`` backs it up when
two saves race. So:

- a stale or concurrent save inserts nothing and becomes a conflict (no lost updates, R1);
- a save is a single INSERT statement (with session, user and membership: 4 queries, P3);
- the revision history is the rows themselves (who, when, what), and the current answer is
  the row with the highest version (``CurrentPerspective`` points at it for perspectives).

Answers refer to questions by their stable key from the toolkit (``toolkit.py``), never by a
database id, so rewording a question never orphans its answers.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from intersector.collaborations.models import Collaboration, Partner, Stage

TEXT_MAX_LENGTH = 10_000
COMMENT_MAX_LENGTH = 2_000


class Perspective(models.Model):
    """One version of one partner organisation's answer to one question."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="perspectives"
    )
    question_key = models.CharField(max_length=120)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="perspectives")
    version = models.PositiveIntegerField()
    text = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["question_key", "partner_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "question_key", "partner", "version"],
                name="perspective_one_row_per_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_key} · {self.partner_id} · v{self.version}"


class CurrentPerspective(models.Model):
    """Which version of each partner's answer to a question is the newest, and whether its
    text is empty: one row per answer, however many versions autosave has written.

    A database trigger on ``Perspective`` inserts keeps it (migrations 0004 and 0005), in the same
    statement as the save, so every writer (saves, imports, seeds, tests) keeps it exact and
    a save stays one query. Pages read current answers here instead of picking the newest of
    all versions, a cost that grew with every autosave.
    """

    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="+")
    question_key = models.CharField(max_length=120)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    # That version's row, so pages read the current versions by primary key.
    perspective = models.OneToOneField(Perspective, on_delete=models.CASCADE, related_name="+")
    answered = models.BooleanField()  # the newest version's text is not empty
    changed_at = models.DateTimeField()  # when the newest version was saved

    class Meta:
        # The dashboard's activity feed: the most recently changed answers first.
        indexes = [
            models.Index(fields=["collaboration", "changed_at"], name="current_perspective_recent")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "question_key", "partner"],
                name="current_perspective_one_per_answer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_key} · {self.partner_id} · v{self.version} (current)"


class Consensus(models.Model):
    """One version of the agreed answer to one question (written by facilitators)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DISCUSSED = "discussed", _("Discussed")
        AGREED = "agreed", _("Agreed")

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="consensus_versions"
    )
    question_key = models.CharField(max_length=120)
    version = models.PositiveIntegerField()
    text = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["question_key", "-version"]
        verbose_name_plural = "consensus versions"
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "question_key", "version"],
                name="consensus_one_row_per_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_key} · v{self.version} ({self.status})"


class Comment(models.Model):
    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="worksheet_comments"
    )
    question_key = models.CharField(max_length=120)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["collaboration", "question_key"])]

    def __str__(self) -> str:
        return f"{self.question_key}: {self.text[:40]}"


class StageMove(models.Model):
    """A facilitator moved the collaboration's current stage (forward or back)."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="stage_moves"
    )
    from_stage = models.CharField(max_length=20, choices=Stage.choices)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    moved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-moved_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"
