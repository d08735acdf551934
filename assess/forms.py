from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from implement.forms import DATE, NONE
from intersector.worksheets.inline import ScopedModelForm

from .models import (
    METHOD_EXPLANATIONS,
    EvaluationPlan,
    Lesson,
    Measurement,
    Methodology,
    Observation,
)


def _method_choices():
    return [
        (
            value,
            format_html(
                '<strong>{}</strong> <span class="choice-help">{}</span>',
                label,
                METHOD_EXPLANATIONS[value],
            ),
        )
        for value, label in Methodology.choices
    ]


class EvaluationPlanForm(ScopedModelForm):
    class Meta:
        model = EvaluationPlan
        fields = [
            "purpose",
            "methodology",
            "questions",
            "data_sources",
            "schedule",
            "evaluator",
            "evaluator_name",
        ]
        widgets = {
            "purpose": forms.RadioSelect,
            "methodology": forms.RadioSelect(attrs={"class": "method-picker"}),
            "evaluator": forms.RadioSelect,
            "questions": forms.Textarea(attrs={"rows": 4}),
            "data_sources": forms.Textarea(attrs={"rows": 3}),
            "schedule": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["methodology"].choices = _method_choices()


class MeasurementForm(ScopedModelForm):
    blank_label = NONE

    class Meta:
        model = Measurement
        fields = ["indicator", "measured_on", "value", "note"]
        widgets = {"measured_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].empty_label = None
        self.fields["indicator"].label_from_instance = lambda i: (
            f"{i.name} ({i.unit})" if i.unit else i.name
        )

    def clean_measured_on(self):
        date = self.cleaned_data["measured_on"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("A measurement cannot be dated in the future."))
        return date


class ObservationForm(ScopedModelForm):
    blank_label = NONE

    class Meta:
        model = Observation
        fields = ["kind", "occurred_on", "title", "detail"]
        widgets = {
            "occurred_on": DATE,
            "kind": forms.RadioSelect,
            "detail": forms.Textarea(attrs={"rows": 2}),
        }


class LessonForm(ScopedModelForm):
    blank_label = NONE

    class Meta:
        model = Lesson
        fields = [
            "title",
            "audience",
            "evidence",
            "recommendation",
            "milestones",
            "feedback",
            "measurements",
        ]
        widgets = {
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "recommendation": forms.Textarea(attrs={"rows": 3}),
            "audience": forms.RadioSelect,
            "milestones": forms.CheckboxSelectMultiple,
            "feedback": forms.CheckboxSelectMultiple,
            "measurements": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measurements"].queryset = self.fields["measurements"].queryset.select_related(
            "indicator"
        )
        self.fields["feedback"].label_from_instance = lambda f: (
            f"{f.heard_on:%d %b %Y} · {f.source}: {f.heard[:60]}"
        )
