"""The Implement stage's editable sections (see ``inline.py``)."""

from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import forms
from .inline import Section
from .models import Champion, FeedbackEntry, Milestone, ProgressUpdate, ResourceIssue, Win

MANAGE = "manage-expectations"
SUSTAIN = "sustain-capacity-and-champions"


def _cited_by_lessons(obj) -> list[str]:
    n = obj.lessons.count()
    return [ngettext("%(n)d lesson cites it", "%(n)d lessons cite it", n) % {"n": n}] if n else []


def milestone_blockers(milestone: Milestone) -> list[str]:
    reasons = _cited_by_lessons(milestone)
    n = milestone.wins.count()
    if n:
        reasons.append(ngettext("%(n)d win celebrates it", "%(n)d wins celebrate it", n) % {"n": n})
    return reasons


def milestone_summary(access, items) -> dict:
    counts = {"late": 0, "achieved": 0, "at_risk": 0, "open": 0}
    for milestone in items:
        if milestone.is_late:
            counts["late"] += 1
        elif milestone.status == Milestone.Status.ACHIEVED:
            counts["achieved"] += 1
        elif milestone.status == Milestone.Status.AT_RISK:
            counts["at_risk"] += 1
        else:
            counts["open"] += 1
    return {"counts": counts}


SECTIONS = {
    section.key: section
    for section in (
        Section(
            key="milestones",
            model=Milestone,
            form_class=forms.MilestoneForm,
            template="implement/milestones.html",
            stage="implement",
            tool_slug=MANAGE,
            noun=_("milestone"),
            related=("activity__lead", "goal"),
            authorship_counts=False,
            not_yours=_(
                "Partners add and edit milestones of the activities their organisation leads."
            ),
            blockers=milestone_blockers,
            summarise=milestone_summary,
        ),
        Section(
            key="updates",
            model=ProgressUpdate,
            form_class=forms.ProgressUpdateForm,
            template="implement/updates.html",
            stage="implement",
            tool_slug=MANAGE,
            noun=_("progress update"),
            related=("activity", "task__activity", "created_by", "created_for"),
            label=lambda u: Truncator(u.summary).words(8),
        ),
        Section(
            key="wins",
            model=Win,
            form_class=forms.WinForm,
            template="implement/wins.html",
            stage="implement",
            tool_slug=MANAGE,
            noun=_("win"),
            related=("milestone", "created_for"),
        ),
        Section(
            key="feedback",
            model=FeedbackEntry,
            form_class=forms.FeedbackEntryForm,
            template="implement/feedback.html",
            stage="implement",
            tool_slug=SUSTAIN,
            noun=_("feedback entry"),
            related=("source_partner", "created_by"),
            blockers=_cited_by_lessons,
            label=lambda f: Truncator(f.heard).words(8),
        ),
        Section(
            key="issues",
            model=ResourceIssue,
            form_class=forms.ResourceIssueForm,
            template="implement/issues.html",
            stage="implement",
            tool_slug=SUSTAIN,
            noun=_("capacity issue"),
            related=("owner",),
        ),
        Section(
            key="champions",
            model=Champion,
            form_class=forms.ChampionForm,
            template="implement/champions.html",
            stage="implement",
            tool_slug=SUSTAIN,
            noun=_("champion"),
            related=("partner",),
        ),
    )
}
