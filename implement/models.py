"""Implement-stage artefacts: milestones, progress updates, feedback, capacity issues,
champions and wins. Milestones and updates hang off Design's goals, activities and tasks.
"""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from design.models import Activity, Goal, Task
from intersector.collaborations.models import Authored, Collaboration, Partner


class Milestone(Authored):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        ACHIEVED = "achieved", _("Achieved")

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=200)
    activity = models.ForeignKey(
        Activity,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("activity"),
    )
    goal = models.ForeignKey(
        Goal,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("goal"),
        help_text=_("For a milestone of the whole goal rather than of one activity."),
    )
    due = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def state_of(cls, status: str, due: datetime.date, today: datetime.date) -> str:
        """Late is derived, never typed: not achieved and past its due date; otherwise the
        status. For rows read without a model instance (the dashboard's lists)."""
        return "late" if status != cls.Status.ACHIEVED and due < today else status

    @classmethod
    def state_labels(cls) -> dict[str, str]:
        return {"late": _("Late"), **dict(cls.Status.choices)}

    @property
    def is_late(self) -> bool:
        return self.state == "late"

    @property
    def state(self) -> str:
        return self.state_of(self.status, self.due, timezone.localdate())

    @property
    def state_label(self) -> str:
        return str(self.state_labels()[self.state])

    def responsible_partner_ids(self) -> set[int]:
        """Only the organisation leading the activity; goal-wide milestones: facilitators."""
        return {self.activity.lead_id} if self.activity_id else set()


class ProgressUpdate(Authored):
    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="progress_updates"
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="progress_updates",
        verbose_name=_("activity"),
    )
    task = models.ForeignKey(
        Task,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="progress_updates",
        verbose_name=_("task"),
    )
    date = models.DateField(_("date"), default=datetime.date.today)
    summary = models.TextField(_("what happened"), max_length=3000)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.summary[:60]

    def responsible_partner_ids(self) -> set[int]:
        ids = super().responsible_partner_ids()
        if self.activity_id:
            ids.add(self.activity.lead_id)
        if self.task_id:
            ids.add(self.task.responsible_id)
        return ids


class FeedbackEntry(Authored):
    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="feedback_entries"
    )
    heard_on = models.DateField(_("heard on"), default=datetime.date.today)
    source = models.CharField(
        _("from whom"),
        max_length=200,
        help_text=_("A person, a group or a meeting, e.g. “parents at the east-side forum”."),
    )
    source_partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner organisation"),
        help_text=_("If the feedback came from one of the partners."),
    )
    heard = models.TextField(_("what we heard"), max_length=3000)
    changed = models.TextField(
        _("what we changed"),
        max_length=3000,
        blank=True,
        help_text=_("Leave empty while the group has not yet acted on it."),
    )

    class Meta:
        ordering = ["-heard_on", "-pk"]
        verbose_name_plural = _("feedback entries")

    def __str__(self) -> str:
        return self.heard[:60]

    @property
    def is_open(self) -> bool:
        return not self.changed.strip()


class ResourceIssue(Authored):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        WORKING = "working", _("Being solved")
        RESOLVED = "resolved", _("Resolved")

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="resource_issues"
    )
    title = models.CharField(_("issue"), max_length=200)
    description = models.TextField(_("what is missing or stretched"), max_length=3000, blank=True)
    solution = models.TextField(
        _("creative solution"),
        max_length=3000,
        blank=True,
        help_text=_("Borrowed staff, shared facilities, volunteers, a new partner…"),
    )
    owner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken on by"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="open")

    class Meta:
        ordering = ["status", "-pk"]

    def __str__(self) -> str:
        return self.title

    def responsible_partner_ids(self) -> set[int]:
        return super().responsible_partner_ids() | ({self.owner_id} - {None})


class Champion(Authored):
    class Kind(models.TextChoices):
        CHAMPION = "champion", _("Champion")
        SPONSOR = "sponsor", _("Sponsor")

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="champions"
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(
        _("position"), max_length=200, blank=True, help_text=_("E.g. “Deputy mayor”.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default="champion")
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner organisation"),
    )
    brings = models.TextField(_("resources or networks they bring"), max_length=2000, blank=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def responsible_partner_ids(self) -> set[int]:
        return super().responsible_partner_ids() | ({self.partner_id} - {None})


class Win(Authored):
    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="wins")
    title = models.CharField(_("win"), max_length=200)
    description = models.TextField(_("the story"), max_length=2000, blank=True)
    celebrated_on = models.DateField(_("date"), default=datetime.date.today)
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="wins",
        verbose_name=_("milestone"),
    )

    class Meta:
        ordering = ["-celebrated_on", "-pk"]

    def __str__(self) -> str:
        return self.title
