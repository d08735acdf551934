from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intersector.collaborations.models import Collaboration


class Paper(models.TextChoices):
    A4 = "a4", _("A4")
    LETTER = "letter", _("US Letter")


def scope_choices() -> list[tuple[str, str]]:
    from intersector.worksheets.toolkit import stages

    return [("all", str(_("Whole collaboration")))] + [
        (stage.key, str(_("%(stage)s stage") % {"stage": stage.name})) for stage in stages()
    ]


class Job(models.Model):
    """Who asked for a worker's job, and when it was asked for, started and finished."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class ReportJob(Job):
    """One request for a PDF, rendered by the ``render_report`` task in a guarded process.

    The newest finished job per (collaboration, scope, paper) keeps its PDF; a job whose
    report HTML is unchanged (same ``content_hash``) takes that PDF instead of rendering.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the report worker")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="report_jobs"
    )
    scope = models.CharField(_("scope"), max_length=20, default="all")
    paper = models.CharField(
        _("paper size"), max_length=10, choices=Paper.choices, default=Paper.A4
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    content_hash = models.CharField(max_length=64, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="reportjob_queue"),
            models.Index(
                fields=["collaboration", "scope", "paper", "status"], name="reportjob_lookup"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.collaboration} · {self.scope} · {self.paper} · {self.status}"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def filename(self) -> str:
        stem = (
            self.collaboration.slug
            if self.scope == "all"
            else f"{self.collaboration.slug}-{self.scope}"
        )
        return f"{stem}-report-{self.paper}.pdf"


class DataJob(Job):
    """A JSON export being made, or an uploaded JSON export being imported, by a task.

    An import's upload is checked whole before its job exists (``data_import_request``);
    the task imports it in one transaction, a new collaboration, and empties ``document``.
    An export's task writes the file into ``document``; only the newest export of a
    collaboration is kept.
    """

    class Kind(models.TextChoices):
        EXPORT = "export", _("JSON export")
        IMPORT = "import", _("JSON import")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Where it was asked from: only its facilitators see the job. An import writes nothing
    # into it; the collaboration it makes is ``imported``.
    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="data_jobs"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    # The JSON text: an import's upload until it is imported, an export's file once made.
    document = models.TextField(blank=True, editable=False)
    content_hash = models.CharField(max_length=64, blank=True)
    # What an import brings, read from the checked file: its title and row counts.
    title = models.TextField(blank=True)
    summary = models.JSONField(default=dict, blank=True)
    imported = models.ForeignKey(
        Collaboration, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["collaboration", "kind", "status"], name="datajob_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.collaboration} · {self.kind} · {self.status}"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def filename(self) -> str:
        day = timezone.localdate(self.finished_at or self.created_at).isoformat()
        return f"{self.collaboration.slug}-{day}.json"
