"""Diagnose-stage artefacts: can collaboration help?

The stakeholder map lives on ``Partner`` (influence × proximity); this app adds the sector
analysis, the apprehensions raised in first engagements and the go / no-go decision.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from intersector.collaborations.models import Collaboration, Partner, Sector


class SectorAnalysis(models.Model):
    """Why one sector could not solve the problem alone, and what it can bring."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="sector_analyses"
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    limits_processes = models.TextField(
        _("limits of its processes"),
        max_length=3000,
        blank=True,
        help_text=_("Rules, procedures or timelines that stop this sector acting alone."),
    )
    limits_expertise = models.TextField(_("limits of its expertise"), max_length=3000, blank=True)
    limits_resources = models.TextField(_("limits of its resources"), max_length=3000, blank=True)
    interest = models.TextField(
        _("its interest or stake"),
        max_length=3000,
        blank=True,
        help_text=_("What this sector gains if the problem is solved, or loses if not."),
    )
    contribution = models.TextField(_("what it can contribute"), max_length=3000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sector"]
        verbose_name = _("sector analysis")
        verbose_name_plural = _("sector analyses")
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "sector"], name="one_sector_analysis_per_sector"
            )
        ]

    def __str__(self) -> str:
        return str(Sector(self.sector).label)

    @property
    def is_blank(self) -> bool:
        return not any(
            (
                self.limits_processes,
                self.limits_expertise,
                self.limits_resources,
                self.interest,
                self.contribution,
            )
        )


class Apprehension(models.Model):
    """A worry a partner raised about working across sectors, and how it was met."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ADDRESSING = "addressing", _("Being addressed")
        RESOLVED = "resolved", _("Resolved")

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="apprehensions"
    )
    raised_by = models.ForeignKey(
        Partner,
        on_delete=models.RESTRICT,
        related_name="apprehensions",
        verbose_name=_("raised by"),
    )
    about = models.CharField(
        _("about"), max_length=200, help_text=_("The worry, in a short sentence.")
    )
    detail = models.TextField(_("detail"), max_length=3000, blank=True)
    response = models.TextField(_("how it is addressed"), max_length=3000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("apprehension")
        verbose_name_plural = _("apprehensions")

    def __str__(self) -> str:
        return self.about


class Decision(models.Model):
    """The answer to the Diagnose stage's question: can collaboration help?"""

    class Outcome(models.TextChoices):
        PROCEED = "proceed", _("Proceed")
        DO_NOT_PROCEED = "do_not_proceed", _("Do not proceed")
        REVISIT = "revisit", _("Revisit on a date")

    collaboration = models.OneToOneField(
        Collaboration, on_delete=models.CASCADE, related_name="diagnose_decision"
    )
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    revisit_on = models.DateField(
        _("revisit on"), null=True, blank=True, help_text=_("Only when the decision is to revisit.")
    )
    reasons = models.TextField(_("reasons"), max_length=5000)
    agreed_by = models.ManyToManyField(
        Partner, blank=True, related_name="+", verbose_name=_("partners who agreed")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome="revisit", revisit_on__isnull=False)
                | (~models.Q(outcome="revisit") & models.Q(revisit_on__isnull=True)),
                name="decision_revisit_date_only_when_revisiting",
            )
        ]

    def __str__(self) -> str:
        return str(self.get_outcome_display())
