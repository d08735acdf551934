"""Answers to the toolkit's guiding questions.

Each answer is one row, the current one: a partner organisation's ``Perspective`` on a
question, or the collaboration's agreed answer (``Consensus``). Its ``version`` counts the
saves; a save names the version it started from and only applies while that is still the
row's version (an optimistic lock, ``services.py``), so a stale save becomes a conflict and
nothing is lost. Every save also writes a revision row (``PerspectiveRevision``,
``ConsensusRevision``) in the same transaction: the question's history is read from those.

Answers refer to questions by their stable key from the toolkit (``toolkit.py``), never by a
database id, so rewording a question never orphans its answers.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intersector.collaborations.models import Collaboration, Partner, Stage

TEXT_MAX_LENGTH = 10_000
COMMENT_MAX_LENGTH = 2_000


class Perspective(models.Model):
    """One partner organisation's current answer to one question."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="perspectives"
    )
    question_key = models.CharField(max_length=120)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="perspectives")
    version = models.PositiveIntegerField(default=1)
    text = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    author = models.ForeignKey(  # who saved the current version
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)  # the first save
    updated_at = models.DateTimeField(default=timezone.now)  # the current version's save

    class Meta:
        ordering = ["question_key", "partner_id"]
        indexes = [
            # The dashboard's activity feed: the most recently changed answers first.
            models.Index(fields=["collaboration", "updated_at"], name="perspective_recent"),
            # Live pages: the sum of a question's versions but the viewer's own, read from
            # the index alone (worksheets/live.py).
            models.Index(
                fields=["collaboration", "question_key", "partner", "version"],
                name="perspective_live",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "question_key", "partner"],
                name="perspective_one_per_answer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_key} · {self.partner_id} · v{self.version}"


class PerspectiveRevision(models.Model):
    """One saved version of a perspective, for the question's history and the export."""

    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="+")
    question_key = models.CharField(max_length=120)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    text = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["question_key", "partner_id", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "question_key", "partner", "version"],
                name="perspective_revision_one_per_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_key} · {self.partner_id} · v{self.version}"


class Consensus(models.Model):
    """The current agreed answer to one question (written by facilitators)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DISCUSSED = "discussed", _("Discussed")
        AGREED = "agreed", _("Agreed")

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="agreed_answers"
    )
    question_key = models.CharField(max_length=120)
    version = models.PositiveIntegerField(default=1)
    text = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["question_key"]
        verbose_name_plural = "agreed answers"
        indexes = [models.Index(fields=["collaboration", "updated_at"], name="consensus_recent")]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "question_key"], name="consensus_one_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_key} · v{self.version} ({self.status})"


class ConsensusRevision(models.Model):
    """One saved version of an agreed answer."""

    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="+")
    question_key = models.CharField(max_length=120)
    version = models.PositiveIntegerField()
    text = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    status = models.CharField(
        max_length=20, choices=Consensus.Status.choices, default=Consensus.Status.OPEN
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["question_key", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "question_key", "version"],
                name="consensus_revision_one_per_version",
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
