from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intersector.collaborations.models import Partner
from intersector.worksheets.inline import ScopedModelForm

from .models import Apprehension, Decision, SectorAnalysis


class PartnerLabelMixin:
    @staticmethod
    def partner_label(partner: Partner) -> str:
        return f"{partner.name} ({partner.get_sector_display()})"


class MapScoresForm(ScopedModelForm):
    """A partner's place on the stakeholder map."""

    class Meta:
        model = Partner
        fields = ["influence", "proximity", "engagement"]
        widgets = {
            "influence": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "proximity": forms.NumberInput(attrs={"min": 1, "max": 5}),
        }


class SectorAnalysisForm(ScopedModelForm):
    class Meta:
        model = SectorAnalysis
        fields = [
            "limits_processes",
            "limits_expertise",
            "limits_resources",
            "interest",
            "contribution",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}

    @classmethod
    def auto_id_for(cls, instance) -> str:
        return f"sector-{instance.sector}-%s" if instance is not None else "sector-%s"


class ApprehensionForm(ScopedModelForm):
    own_partner_field = "raised_by"

    class Meta:
        model = Apprehension
        fields = ["raised_by", "about", "detail", "response", "status"]
        widgets = {
            "detail": forms.Textarea(attrs={"rows": 2}),
            "response": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raised_by"].label_from_instance = PartnerLabelMixin.partner_label


class DecisionForm(ScopedModelForm):
    class Meta:
        model = Decision
        fields = ["outcome", "revisit_on", "reasons", "agreed_by"]
        widgets = {
            "outcome": forms.RadioSelect,
            "revisit_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "reasons": forms.Textarea(attrs={"rows": 4}),
            "agreed_by": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_by"].queryset = self.fields["agreed_by"].queryset.exclude(
            engagement=Partner.Engagement.DECLINED
        )
        self.fields["agreed_by"].label_from_instance = PartnerLabelMixin.partner_label
        self.fields["outcome"].choices = Decision.Outcome.choices

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        revisit_on = cleaned.get("revisit_on")
        if outcome == Decision.Outcome.REVISIT:
            if not revisit_on:
                self.add_error("revisit_on", _("Choose the date on which to revisit."))
            elif "revisit_on" in self.changed_data and revisit_on < timezone.localdate():
                self.add_error("revisit_on", _("The date to revisit cannot be in the past."))
        elif outcome:
            cleaned["revisit_on"] = None
        return cleaned

    def save(self, commit: bool = True):
        self.instance.revisit_on = self.cleaned_data.get("revisit_on")
        return super().save(commit=commit)
