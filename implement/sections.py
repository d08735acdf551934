"""The Implement stage's editable sections, served by the generic views of
``intersector.worksheets.inline``."""

from functools import partial

from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from intersector.worksheets.inline import (
    Section,
    Sections,
    author_or_responsible,
    responsible_only,
)

from . import forms
from .models import Champion, FeedbackEntry, Milestone, ProgressUpdate, ResourceIssue, Win

record = partial(
    Section,
    stage="implement",
    may_edit=author_or_responsible,
)

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


SECTIONS = Sections(
    record(
        key="milestones",
        model=Milestone,
        form_class=forms.MilestoneForm,
        tool=MANAGE,
        noun=_("milestone"),
        related=("activity__lead", "goal"),
        may_edit=responsible_only,
        not_yours=_("Partners add and edit milestones of the activities their organisation leads."),
        blockers=milestone_blockers,
        summarise=milestone_summary,
    ),
    record(
        key="updates",
        model=ProgressUpdate,
        form_class=forms.ProgressUpdateForm,
        tool=MANAGE,
        noun=_("progress update"),
        related=("activity", "task__activity", "created_by", "created_for"),
        label=lambda u: Truncator(u.summary).words(8),
    ),
    record(
        key="wins",
        model=Win,
        form_class=forms.WinForm,
        tool=MANAGE,
        noun=_("win"),
        related=("milestone", "created_for"),
    ),
    record(
        key="feedback",
        model=FeedbackEntry,
        form_class=forms.FeedbackEntryForm,
        tool=SUSTAIN,
        noun=_("feedback entry"),
        related=("source_partner", "created_by"),
        blockers=_cited_by_lessons,
        label=lambda f: Truncator(f.heard).words(8),
    ),
    record(
        key="issues",
        model=ResourceIssue,
        form_class=forms.ResourceIssueForm,
        tool=SUSTAIN,
        noun=_("capacity issue"),
        related=("owner",),
    ),
    record(
        key="champions",
        model=Champion,
        form_class=forms.ChampionForm,
        tool=SUSTAIN,
        noun=_("champion"),
        related=("partner",),
    ),
)
