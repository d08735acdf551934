"""Design-stage artefacts: the vision, goals, indicators, roadmap, tasks and governance.

Implement's milestones and updates belong to these activities and goals; Assess measures
these indicators.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intersector.collaborations.models import Collaboration, Partner


class Vision(models.Model):
    collaboration = models.OneToOneField(
        Collaboration, on_delete=models.CASCADE, related_name="vision"
    )
    statement = models.TextField(_("shared vision"), max_length=5000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return self.statement[:60]


class Goal(models.Model):
    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=200)
    outcomes = models.TextField(
        _("outcomes"), max_length=5000, blank=True, help_text=_("What will have changed, for whom.")
    )
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="indicators"
    )
    goal = models.ForeignKey(Goal, on_delete=models.RESTRICT, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    data_source = models.CharField(_("data source"), max_length=200, blank=True)
    owner = models.ForeignKey(
        Partner,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("owning partner"),
    )

    class Meta:
        ordering = ["goal__order", "goal_id", "name"]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="activities"
    )
    goal = models.ForeignKey(Goal, on_delete=models.RESTRICT, related_name="activities")
    title = models.CharField(_("activity"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    lead = models.ForeignKey(
        Partner,
        on_delete=models.RESTRICT,
        related_name="led_activities",
        verbose_name=_("lead partner"),
    )
    supporting = models.ManyToManyField(
        Partner,
        blank=True,
        related_name="supported_activities",
        verbose_name=_("supporting partners"),
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        ordering = ["start", "title"]
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="activity_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Task(models.Model):
    class Status(models.TextChoices):
        TODO = "todo", _("To do")
        DOING = "doing", _("In progress")
        DONE = "done", _("Done")
        BLOCKED = "blocked", _("Blocked")

    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="tasks")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    responsible = models.ForeignKey(
        Partner,
        on_delete=models.RESTRICT,
        related_name="tasks",
        verbose_name=_("responsible partner"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tasks",
        verbose_name=_("assignee"),
    )
    due = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.TODO
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return (
            self.status != self.Status.DONE
            and self.due is not None
            and self.due < timezone.localdate()
        )


class Governance(models.Model):
    collaboration = models.OneToOneField(
        Collaboration, on_delete=models.CASCADE, related_name="governance"
    )
    structure = models.TextField(
        _("structure"),
        max_length=5000,
        blank=True,
        help_text=_("E.g. a backbone organisation, a steering committee and working groups."),
    )
    manager = models.ForeignKey(
        Partner,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("manager"),
        help_text=_("The organisation accountable for coordinating the work."),
    )
    manager_remit = models.TextField(_("the manager's remit"), max_length=5000, blank=True)
    decision_making = models.TextField(_("how decisions are made"), max_length=5000, blank=True)
    meeting_rhythm = models.CharField(_("meeting rhythm"), max_length=200, blank=True)
    information_sharing = models.TextField(
        _("information-sharing commitments"), max_length=5000, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Governance of {self.collaboration}"
