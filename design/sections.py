"""The Design artefacts' editable parts, served by the generic views of
``intersector.worksheets.inline`` (wired in ``urls.py``). Who may do what is in
``rules.py``."""

from functools import partial

from django.utils.translation import gettext_lazy as _

from intersector.collaborations.access import Need
from intersector.worksheets.inline import Section, Sections
from intersector.worksheets.models import DecisionRule

from . import rules, services
from .forms import (
    ActivityForm,
    DecisionRuleForm,
    GoalForm,
    GovernanceForm,
    IndicatorForm,
    TaskForm,
    VisionForm,
)
from .models import Activity, Goal, Governance, Indicator, Task, Vision

MEASURES = "agree-on-measures-of-success"
MANAGER = "identify-a-manager"


record = partial(Section, stage="design")


def activity_delete_explanation(activity: Activity) -> str:
    n = activity.tasks.count()
    return (
        _("Its %(n)d task(s) will be deleted with it.") % {"n": n} if n else _("It has no tasks.")
    )


VISION = record(
    tool=MEASURES,
    key="vision",
    model=Vision,
    form_class=VisionForm,
    noun=_("vision"),
    need=Need.MANAGE,
    one_per_collaboration=True,
    edit_title=_("Our shared vision"),
)
GOALS = record(
    tool=MEASURES,
    key="goals",
    model=Goal,
    form_class=GoalForm,
    noun=_("goal"),
    need=Need.MANAGE,
    delete_title=_("Delete the goal “%(what)s”?"),
    delete_explanation=_(
        "A goal that still has indicators or activities cannot be deleted: move or "
        "delete those first."
    ),
)
INDICATORS = record(
    tool=MEASURES,
    key="indicators",
    model=Indicator,
    form_class=IndicatorForm,
    noun=_("indicator"),
    may_add=rules.can_add_owned,
    may_edit=rules.can_edit_indicator,
    add_title=_("Add an indicator"),
    delete_title=_("Delete the indicator “%(what)s”?"),
    delete_explanation=_("An indicator that already has measurements cannot be deleted."),
)
ROADMAP = record(
    tool=MANAGER,
    key="roadmap",
    model=Activity,
    form_class=ActivityForm,
    noun=_("activity"),
    may_add=rules.can_add_owned,
    may_edit=rules.can_edit_activity,
    add_title=_("Add an activity"),
    delete_title=_("Delete the activity “%(what)s”?"),
    delete_explanation=activity_delete_explanation,
)
TASKS = record(
    tool=MANAGER,
    key="responsibilities",
    model=Task,
    form_class=TaskForm,
    noun=_("task"),
    may_add=rules.can_add_owned,
    may_edit=rules.can_edit_task,
    save=services.task_save,
    delete_title=_("Delete the task “%(what)s”?"),
    delete_explanation=_("The task and its assignment are removed."),
)
GOVERNANCE = record(
    tool="establish-a-governance-structure",
    key="governance",
    model=Governance,
    form_class=GovernanceForm,
    noun=_("governance"),
    need=Need.MANAGE,
    one_per_collaboration=True,
    edit_title=_("Governance and project management"),
)
# The rule itself is the worksheets engine's (proposals on agreed answers read it there);
# the governance tool page is where the group records it.
DECISION_RULE = record(
    tool="establish-a-governance-structure",
    key="decision-rule",
    model=DecisionRule,
    form_class=DecisionRuleForm,
    noun=_("decision rule"),
    need=Need.MANAGE,
    one_per_collaboration=True,
    edit_title=_("How proposals are decided"),
)
SECTIONS = Sections(VISION, GOALS, INDICATORS, ROADMAP, TASKS, GOVERNANCE, DECISION_RULE)
