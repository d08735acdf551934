"""The input request form (a facilitator asks organisations for their perspectives)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import INPUT_REQUEST_MESSAGE_MAX_LENGTH
from .toolkit import stages


def tool_choices() -> list:
    """The tools with questions, grouped by stage, each as "<stage>/<tool slug>"."""
    return [
        (
            stage.name,
            [
                (f"{stage.key}/{tool.slug}", f"{tool.number}. {tool.name}")
                for tool in stage.tools
                if tool.questions
            ],
        )
        for stage in stages()
    ]


class InputRequestForm(forms.Form):
    tool = forms.ChoiceField(label=_("Tool"), choices=tool_choices)
    everyone = forms.BooleanField(label=_("Every partner organisation"), required=False)
    partners = forms.ModelMultipleChoiceField(
        label=_("Organisations"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    due = forms.DateField(
        label=_("Answers wanted by"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Reminders go two days before and on the day to those who have not answered."),
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=INPUT_REQUEST_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A short word on what you need and why."),
    )

    def __init__(self, *args, collaboration, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = collaboration.partners.order_by("name", "pk")

    def clean_due(self):
        due = self.cleaned_data["due"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later date."))
        return due

    def clean(self):
        data = super().clean()
        if not data.get("everyone") and not data.get("partners"):
            self.add_error("partners", _("Choose at least one organisation, or every one."))
        return data

    @property
    def stage_and_tool(self) -> tuple[str, str]:
        stage_key, tool_slug = self.cleaned_data["tool"].split("/", 1)
        return stage_key, tool_slug
