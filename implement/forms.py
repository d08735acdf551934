from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intersector.worksheets.inline import ScopedModelForm

from .models import Champion, FeedbackEntry, Milestone, ProgressUpdate, ResourceIssue, Win

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# What an empty select offers in Implement and Assess forms.
NONE = _("— none —")


class MilestoneForm(ScopedModelForm):
    blank_label = NONE

    class Meta:
        model = Milestone
        fields = ["title", "activity", "goal", "due", "status", "achieved_on"]
        widgets = {"due": DATE, "achieved_on": DATE}
        help_texts = {
            "status": _("“Late” is worked out from the due date; you never set it."),
            "achieved_on": _("Leave empty to use today when you mark it achieved."),
        }

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("activity")
            and not cleaned.get("goal")
            and not self.has_error("activity")
        ):
            self.add_error("activity", _("Choose the activity or the goal this milestone marks."))
        status = cleaned.get("status")
        achieved_on = cleaned.get("achieved_on")
        if status == Milestone.Status.ACHIEVED:
            if achieved_on is None:
                cleaned["achieved_on"] = timezone.localdate()
            elif achieved_on > timezone.localdate():
                self.add_error("achieved_on", _("A milestone cannot be achieved in the future."))
        elif achieved_on:
            self.add_error("achieved_on", _("Only an achieved milestone has an achieved date."))
        activity = cleaned.get("activity")
        if activity and not cleaned.get("goal"):
            cleaned["goal"] = activity.goal
        elif activity and cleaned.get("goal") and activity.goal_id != cleaned["goal"].pk:
            self.add_error("goal", _("This activity belongs to another goal."))
        return cleaned


class ProgressUpdateForm(ScopedModelForm):
    blank_label = NONE

    class Meta:
        model = ProgressUpdate
        fields = ["date", "activity", "task", "summary"]
        widgets = {"date": DATE, "summary": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("activity") and not cleaned.get("task"):
            self.add_error("activity", _("Choose the activity or the task this update is about."))
        task = cleaned.get("task")
        if task and not cleaned.get("activity"):
            cleaned["activity"] = task.activity
        elif task and cleaned.get("activity") and task.activity_id != cleaned["activity"].pk:
            self.add_error("task", _("This task belongs to another activity."))
        date = cleaned.get("date")
        if date and date > timezone.localdate():
            self.add_error("date", _("Progress is reported once it has happened."))
        return cleaned


class FeedbackEntryForm(ScopedModelForm):
    blank_label = NONE

    class Meta:
        model = FeedbackEntry
        fields = ["heard_on", "source", "source_partner", "heard", "changed"]
        widgets = {
            "heard_on": DATE,
            "heard": forms.Textarea(attrs={"rows": 3}),
            "changed": forms.Textarea(attrs={"rows": 3}),
        }


class ResourceIssueForm(ScopedModelForm):
    blank_label = NONE

    class Meta:
        model = ResourceIssue
        fields = ["title", "owner", "status", "description", "solution"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "solution": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == ResourceIssue.Status.RESOLVED
            and not (cleaned.get("solution") or "").strip()
        ):
            self.add_error("solution", _("Say how it was solved before marking it resolved."))
        return cleaned


class ChampionForm(ScopedModelForm):
    blank_label = NONE

    class Meta:
        model = Champion
        fields = ["name", "position", "kind", "partner", "brings"]
        widgets = {"brings": forms.Textarea(attrs={"rows": 2})}


class WinForm(ScopedModelForm):
    blank_label = NONE

    class Meta:
        model = Win
        fields = ["title", "celebrated_on", "milestone", "description"]
        widgets = {"celebrated_on": DATE, "description": forms.Textarea(attrs={"rows": 2})}
