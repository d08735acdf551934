from django import forms
from django.utils.translation import gettext_lazy as _

from intersector.worksheets.inline import ScopedModelForm
from intersector.worksheets.models import DecisionRule

from .models import Activity, Goal, Governance, Indicator, Task, Vision

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def partner_label(partner) -> str:
    return f"{partner.name} ({partner.get_sector_display()})"


class VisionForm(ScopedModelForm):
    class Meta:
        model = Vision
        fields = ["statement"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "statement": _("One or two sentences every partner can say in its own words.")
        }


class GoalForm(ScopedModelForm):
    class Meta:
        model = Goal
        fields = ["title", "outcomes", "order"]
        widgets = {"outcomes": forms.Textarea(attrs={"rows": 3})}
        labels = {"order": _("Position in the list")}


class IndicatorForm(ScopedModelForm):
    own_partner_field = "owner"

    class Meta:
        model = Indicator
        fields = [
            "goal",
            "name",
            "unit",
            "baseline",
            "target",
            "target_date",
            "data_source",
            "owner",
        ]
        widgets = {"target_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].label_from_instance = partner_label

    def clean(self):
        cleaned = super().clean()
        baseline, target = cleaned.get("baseline"), cleaned.get("target")
        if baseline is not None and target is not None and baseline == target:
            self.add_error("target", _("A target equal to the baseline measures no change."))
        return cleaned


class ActivityForm(ScopedModelForm):
    own_partner_field = "lead"

    class Meta:
        model = Activity
        fields = ["goal", "title", "description", "lead", "supporting", "start", "end"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "supporting": forms.CheckboxSelectMultiple,
            "start": DATE,
            "end": DATE,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].label_from_instance = partner_label
        # A partner leads its own activities but may name anyone in support.
        self.fields["supporting"].queryset = self.access.collaboration.partners.all()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end cannot come before the start."))
        lead, supporting = cleaned.get("lead"), cleaned.get("supporting")
        if lead and supporting and lead in supporting:
            self.add_error("supporting", _("The lead partner is not also a supporting partner."))
        return cleaned


class TaskForm(ScopedModelForm):
    own_partner_field = "responsible"

    class Meta:
        model = Task
        fields = ["activity", "title", "responsible", "assignee", "due", "status"]
        widgets = {"due": DATE}
        help_texts = {
            "responsible": _(
                "Match the task to a partner's expertise and resources (listed beside)."
            ),
            "assignee": _("Optional: the person who does it; any member of this collaboration."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].label_from_instance = partner_label
        self.fields["assignee"].label_from_instance = lambda user: user.display_name
        self.fields["assignee"].empty_label = _("— nobody yet —")
        self.fields["activity"].queryset = self.fields["activity"].queryset.select_related(None)

    def clean(self):
        cleaned = super().clean()
        activity, due = cleaned.get("activity"), cleaned.get("due")
        if activity and due and not (activity.start <= due <= activity.end):
            self.add_error(
                "due",
                _("Due dates fall within the activity (%(start)s to %(end)s).")
                % {"start": activity.start.isoformat(), "end": activity.end.isoformat()},
            )
        return cleaned


class GovernanceForm(ScopedModelForm):
    class Meta:
        model = Governance
        fields = [
            "structure",
            "manager",
            "manager_remit",
            "decision_making",
            "meeting_rhythm",
            "information_sharing",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ["structure", "manager_remit", "decision_making", "information_sharing"]
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].label_from_instance = partner_label


class DecisionRuleForm(ScopedModelForm):
    class Meta:
        model = DecisionRule
        fields = ["rule", "quorum_percent", "period_days"]
        widgets = {"rule": forms.RadioSelect}
