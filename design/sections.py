"""The Design artefacts' editable parts, served by the generic views of
``intersector.worksheets.inline`` (wired in ``urls.py``). Who may do what is in
``rules.py``."""

from functools import partial

from django.utils.translation import gettext_lazy as _

from intersector.collaborations.access import Need
from intersector.worksheets.inline import Section, Sections

from . import rules, services
from .forms import ActivityForm, GoalForm, GovernanceForm, IndicatorForm, TaskForm, VisionForm
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
    need=Need.MANAGE,
    one_per_collaboration=True,
    save=services.vision_save,
    edit_title=_("Our shared vision"),
    saved_message=_("Vision saved."),
)
GOALS = record(
    tool=MEASURES,
    key="goals",
    model=Goal,
    form_class=GoalForm,
    need=Need.MANAGE,
    add_title=_("Add a goal"),
    added_message=_("Goal added."),
    edit_title=_("Edit goal"),
    saved_message=_("Goal saved."),
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
    may_add=rules.can_add_owned,
    may_edit=rules.can_edit_indicator,
    add_title=_("Add an indicator"),
    added_message=_("Indicator added."),
    edit_title=_("Edit indicator"),
    saved_message=_("Indicator saved."),
    delete_title=_("Delete the indicator “%(what)s”?"),
    delete_explanation=_("An indicator that already has measurements cannot be deleted."),
)
ROADMAP = record(
    tool=MANAGER,
    key="roadmap",
    model=Activity,
    form_class=ActivityForm,
    may_add=rules.can_add_owned,
    may_edit=rules.can_edit_activity,
    add_title=_("Add an activity"),
    added_message=_("Activity added to the roadmap."),
    edit_title=_("Edit activity"),
    saved_message=_("Activity saved."),
    delete_title=_("Delete the activity “%(what)s”?"),
    delete_explanation=activity_delete_explanation,
)
TASKS = record(
    tool=MANAGER,
    key="responsibilities",
    model=Task,
    form_class=TaskForm,
    may_add=rules.can_add_owned,
    may_edit=rules.can_edit_task,
    add_title=_("Add a task"),
    added_message=_("Task added."),
    edit_title=_("Edit task"),
    saved_message=_("Task saved."),
    delete_title=_("Delete the task “%(what)s”?"),
    delete_explanation=_("The task and its assignment are removed."),
)
GOVERNANCE = record(
    tool="establish-a-governance-structure",
    key="governance",
    model=Governance,
    form_class=GovernanceForm,
    need=Need.MANAGE,
    one_per_collaboration=True,
    edit_title=_("Governance and project management"),
    saved_message=_("Governance saved."),
)
REGIONS = Sections(VISION, GOALS, INDICATORS, ROADMAP, TASKS, GOVERNANCE)
