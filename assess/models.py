"""Assess-stage artefacts: the evaluation plan, indicator measurements, successes and
setbacks, and lessons learned. Measurements belong to Design's indicators; lessons cite
Implement's milestones and feedback and this stage's measurements.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from design.models import Indicator
from implement.models import FeedbackEntry, Milestone
from intersector.collaborations.models import Authored, Collaboration


class Methodology(models.TextChoices):
    """Evaluation approaches, explained in our own words in ``METHOD_EXPLANATIONS``."""

    LOGIC_MODEL = "logic_model", _("Logic model")
    THEORY_OF_CHANGE = "theory_of_change", _("Theory of change")
    DEVELOPMENTAL = "developmental", _("Developmental evaluation")
    OUTCOME_HARVESTING = "outcome_harvesting", _("Outcome harvesting")
    MOST_SIGNIFICANT_CHANGE = "most_significant_change", _("Most significant change")
    CONTRIBUTION_ANALYSIS = "contribution_analysis", _("Contribution analysis")
    RBA = "results_based_accountability", _("Results-based accountability")
    SHARED_MEASUREMENT = "shared_measurement", _("Shared measurement")
    NETWORK_ANALYSIS = "social_network_analysis", _("Social network analysis")
    HEALTH_SURVEY = "collaboration_health_survey", _("Collaboration health survey")
    OUTCOME_MAPPING = "outcome_mapping", _("Outcome mapping")
    RIPPLE_EFFECTS = "ripple_effects_mapping", _("Ripple effects mapping")
    AFTER_ACTION = "after_action_review", _("After-action review")
    UTILIZATION_FOCUSED = "utilization_focused", _("Utilization-focused evaluation")


METHOD_EXPLANATIONS = {
    Methodology.LOGIC_MODEL: _(
        "Lay out inputs, activities, outputs and outcomes in a chain; suits steady, "
        "well-understood programmes and funder reports."
    ),
    Methodology.THEORY_OF_CHANGE: _(
        "Work back from the long-term goal to the conditions it needs, and test the "
        "assumptions linking them."
    ),
    Methodology.DEVELOPMENTAL: _(
        "An evaluator inside the team feeds back in real time while the strategy is "
        "still taking shape."
    ),
    Methodology.OUTCOME_HARVESTING: _(
        "Collect the changes that actually happened in people and organisations, then "
        "check with others how the work contributed."
    ),
    Methodology.MOST_SIGNIFICANT_CHANGE: _(
        "Gather stories of change and let partner panels choose the most important, saying why."
    ),
    Methodology.CONTRIBUTION_ANALYSIS: _(
        "Build a credible case that the work contributed to a result when strict "
        "attribution is impossible."
    ),
    Methodology.RBA: _(
        "Track population results against a baseline and ask: how much did we do, how "
        "well, and is anyone better off?"
    ),
    Methodology.SHARED_MEASUREMENT: _(
        "All partners report the same small set of indicators in one place and review "
        "them together."
    ),
    Methodology.NETWORK_ANALYSIS: _(
        "Survey who works with whom, how often and how well, to see the network itself "
        "grow stronger."
    ),
    Methodology.HEALTH_SURVEY: _(
        "Partners rate how well the collaboration works on a regular survey and watch the trend."
    ),
    Methodology.OUTCOME_MAPPING: _(
        "Follow changes in the behaviour of the people and groups the work tries to "
        "influence, against graded progress markers."
    ),
    Methodology.RIPPLE_EFFECTS: _(
        "Map together the direct and knock-on effects in the community, including the "
        "unplanned ones."
    ),
    Methodology.AFTER_ACTION: _(
        "Right after a milestone or event, compare what was planned with what happened "
        "and agree what to do next."
    ),
    Methodology.UTILIZATION_FOCUSED: _(
        "Design every choice around the people who will use the findings and the "
        "decisions they face."
    ),
}


class EvaluationPlan(models.Model):
    class Purpose(models.TextChoices):
        PROCESS = "process", _("Process: how well the partners work together")
        OUTCOME = "outcome", _("Outcome: what changed for the people and the issue")
        BOTH = "both", _("Both process and outcome")

    class Evaluator(models.TextChoices):
        INTERNAL = "internal", _("Internal (one of the partners)")
        EXTERNAL = "external", _("External (a third party)")

    collaboration = models.OneToOneField(
        Collaboration, on_delete=models.CASCADE, related_name="evaluation_plan"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    methodology = models.CharField(_("methodology"), max_length=40, choices=Methodology.choices)
    questions = models.TextField(
        _("evaluation questions"), max_length=5000, help_text=_("One question per line.")
    )
    data_sources = models.TextField(_("data sources"), max_length=5000, blank=True)
    schedule = models.TextField(
        _("schedule"),
        max_length=2000,
        blank=True,
        help_text=_("When data is collected and reviewed."),
    )
    evaluator = models.CharField(_("evaluator"), max_length=20, choices=Evaluator.choices)
    evaluator_name = models.CharField(
        _("who evaluates"), max_length=200, blank=True, help_text=_("A person or organisation.")
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Evaluation plan of {self.collaboration}"

    @property
    def methodology_explanation(self) -> str:
        return METHOD_EXPLANATIONS.get(self.methodology, "")

    @property
    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]


class Measurement(Authored):
    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="measurements"
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.RESTRICT,
        related_name="measurements",
        verbose_name=_("indicator"),
    )
    measured_on = models.DateField(_("date"), default=datetime.date.today)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["indicator_id", "measured_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"], name="assess_one_measurement_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name}: {self.value} ({self.measured_on:%d %b %Y})"

    def clean(self):
        super().clean()
        if (
            self.indicator_id
            and self.collaboration_id
            and self.indicator.collaboration_id != self.collaboration_id
        ):
            raise ValidationError({"indicator": _("Choose an indicator of this collaboration.")})

    def responsible_partner_ids(self) -> set[int]:
        """Measurements are recorded by the organisation that owns the indicator."""
        return {self.indicator.owner_id} - {None}


class Observation(Authored):
    """A success or a setback, logged as it happens."""

    class Kind(models.TextChoices):
        SUCCESS = "success", _("Success")
        SETBACK = "setback", _("Setback")

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="observations"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(_("date"), default=datetime.date.today)
    title = models.CharField(_("what happened"), max_length=200)
    detail = models.TextField(_("details"), max_length=3000, blank=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Lesson(Authored):
    class Audience(models.TextChoices):
        SHAREABLE = "shareable", _("Shareable with other practitioners")
        INTERNAL = "internal", _("Internal to the partners")

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="lessons"
    )
    title = models.CharField(_("lesson"), max_length=200)
    evidence = models.TextField(_("evidence"), max_length=5000)
    recommendation = models.TextField(_("recommendation for other practitioners"), max_length=5000)
    audience = models.CharField(
        _("who may read it"), max_length=20, choices=Audience.choices, default="internal"
    )
    milestones = models.ManyToManyField(
        Milestone, blank=True, related_name="lessons", verbose_name=_("milestones cited")
    )
    feedback = models.ManyToManyField(
        FeedbackEntry, blank=True, related_name="lessons", verbose_name=_("feedback cited")
    )
    measurements = models.ManyToManyField(
        Measurement, blank=True, related_name="lessons", verbose_name=_("measurements cited")
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title
