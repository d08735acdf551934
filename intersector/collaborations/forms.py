from django import forms
from django.utils.translation import gettext_lazy as _

from .hardening import HardenedFormMixin
from .models import Collaboration, Membership, Partner, Role


class CollaborationForm(HardenedFormMixin, forms.ModelForm):
    class Meta:
        model = Collaboration
        fields = ["title", "problem_statement", "origin", "context"]
        widgets = {
            "problem_statement": forms.Textarea(attrs={"rows": 4}),
            "context": forms.Textarea(attrs={"rows": 4}),
            "origin": forms.RadioSelect,
        }


class PartnerForm(HardenedFormMixin, forms.ModelForm):
    class Meta:
        model = Partner
        fields = [
            "name",
            "sector",
            "influence",
            "proximity",
            "engagement",
            "expertise",
            "resources",
        ]
        widgets = {
            "influence": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "proximity": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "expertise": forms.Textarea(attrs={"rows": 2}),
            "resources": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, collaboration: Collaboration, **kwargs):
        super().__init__(*args, **kwargs)
        self.collaboration = collaboration

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Partner.objects.filter(collaboration=self.collaboration, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This collaboration already has a partner of that name."))
        return name

    def save(self, commit: bool = True) -> Partner:
        self.instance.collaboration = self.collaboration
        return super().save(commit=commit)


class MembershipRoleForm(HardenedFormMixin, forms.ModelForm):
    """Role and organisation of an existing member."""

    class Meta:
        model = Membership
        fields = ["role", "partner"]

    def __init__(self, *args, collaboration: Collaboration, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = collaboration.partners.all()
        self.fields["partner"].empty_label = _("— none —")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.PARTNER and not cleaned.get("partner"):
            self.add_error("partner", _("A partner speaks for one of the partner organisations."))
        return cleaned
