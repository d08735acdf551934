"""Editing endpoints of the Design artefacts (drawn on the tool pages). Each answers htmx
with its region redrawn, and plain requests with a form page or a redirect back."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from intersector.collaborations.access import Need, get_collaboration_for_user
from intersector.collaborations.inline import (
    ArtefactRef,
    delete_view,
    edit_view,
    render_region,
    require,
)

from . import rules, services
from .forms import ActivityForm, GoalForm, GovernanceForm, IndicatorForm, TaskForm, VisionForm
from .models import Activity, Goal, Governance, Indicator, Task, Vision

MEASURES = "agree-on-measures-of-success"
VISION = ArtefactRef("design", MEASURES, "vision")
GOALS = ArtefactRef("design", MEASURES, "goals")
INDICATORS = ArtefactRef("design", MEASURES, "indicators")
ROADMAP = ArtefactRef("design", "identify-a-manager", "roadmap")
TASKS = ArtefactRef("design", "identify-a-manager", "responsibilities")
GOVERNANCE = ArtefactRef("design", "establish-a-governance-structure", "governance")
REGIONS = {ref.key: ref for ref in (VISION, GOALS, INDICATORS, ROADMAP, TASKS, GOVERNANCE)}


@login_required
@require_GET
def region(request, slug: str, key: str):
    """An artefact's region on its own (htmx: to cancel an edit); otherwise its tool page."""
    access = get_collaboration_for_user(request, slug)
    ref = REGIONS.get(key)
    if ref is None:
        raise Http404
    if not request.htmx:
        return redirect(ref.url(access))
    return render_region(request, access, ref)


@login_required
@require_http_methods(["GET", "POST"])
def vision_edit(request, slug: str):
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    vision = Vision.objects.filter(collaboration=access.collaboration).first() or Vision(
        collaboration=access.collaboration
    )
    form = VisionForm(request.POST or None, instance=vision, access=access)
    return edit_view(
        request,
        access=access,
        ref=VISION,
        form=form,
        title=_("Our shared vision"),
        saved_message=_("Vision saved."),
        save=lambda form: services.vision_save(form=form, user=request.user),
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_add(request, slug: str):
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    form = GoalForm(request.POST or None, access=access)
    return edit_view(
        request,
        access=access,
        ref=GOALS,
        form=form,
        title=_("Add a goal"),
        saved_message=_("Goal added."),
        adding=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request, slug: str, pk: int):
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    goal = get_object_or_404(Goal, pk=pk, collaboration=access.collaboration)
    form = GoalForm(request.POST or None, instance=goal, access=access)
    return edit_view(
        request,
        access=access,
        ref=GOALS,
        form=form,
        title=_("Edit goal"),
        saved_message=_("Goal saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_delete(request, slug: str, pk: int):
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    goal = get_object_or_404(Goal, pk=pk, collaboration=access.collaboration)
    return delete_view(
        request,
        access=access,
        ref=GOALS,
        obj=goal,
        title=_("Delete the goal “%(title)s”?") % {"title": goal.title},
        explanation=_(
            "A goal that still has indicators or activities cannot be deleted: move or "
            "delete those first."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_add(request, slug: str):
    access = get_collaboration_for_user(request, slug, need=Need.CONTRIBUTE)
    require(rules.can_add_owned(access))
    form = IndicatorForm(request.POST or None, access=access)
    return edit_view(
        request,
        access=access,
        ref=INDICATORS,
        form=form,
        title=_("Add an indicator"),
        saved_message=_("Indicator added."),
        adding=True,
    )


def _owned(request, slug, model, pk, rule):
    access = get_collaboration_for_user(request, slug, need=Need.CONTRIBUTE)
    obj = get_object_or_404(model, pk=pk, collaboration=access.collaboration)
    require(rule(access, obj))
    return access, obj


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, slug: str, pk: int):
    access, indicator = _owned(request, slug, Indicator, pk, rules.can_edit_indicator)
    form = IndicatorForm(request.POST or None, instance=indicator, access=access)
    return edit_view(
        request,
        access=access,
        ref=INDICATORS,
        form=form,
        title=_("Edit indicator"),
        saved_message=_("Indicator saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_delete(request, slug: str, pk: int):
    access, indicator = _owned(request, slug, Indicator, pk, rules.can_edit_indicator)
    return delete_view(
        request,
        access=access,
        ref=INDICATORS,
        obj=indicator,
        title=_("Delete the indicator “%(name)s”?") % {"name": indicator.name},
        explanation=_("An indicator that already has measurements cannot be deleted."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_add(request, slug: str):
    access = get_collaboration_for_user(request, slug, need=Need.CONTRIBUTE)
    require(rules.can_add_owned(access))
    form = ActivityForm(request.POST or None, access=access)
    return edit_view(
        request,
        access=access,
        ref=ROADMAP,
        form=form,
        title=_("Add an activity"),
        saved_message=_("Activity added to the roadmap."),
        adding=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, slug: str, pk: int):
    access, activity = _owned(request, slug, Activity, pk, rules.can_edit_activity)
    form = ActivityForm(request.POST or None, instance=activity, access=access)
    return edit_view(
        request,
        access=access,
        ref=ROADMAP,
        form=form,
        title=_("Edit activity"),
        saved_message=_("Activity saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete(request, slug: str, pk: int):
    access, activity = _owned(request, slug, Activity, pk, rules.can_edit_activity)
    n = activity.tasks.count()
    return delete_view(
        request,
        access=access,
        ref=ROADMAP,
        obj=activity,
        title=_("Delete the activity “%(title)s”?") % {"title": activity.title},
        explanation=(
            _("Its %(n)d task(s) will be deleted with it.") % {"n": n}
            if n
            else _("It has no tasks.")
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_add(request, slug: str):
    access = get_collaboration_for_user(request, slug, need=Need.CONTRIBUTE)
    require(rules.can_add_owned(access))
    form = TaskForm(request.POST or None, access=access)
    return edit_view(
        request,
        access=access,
        ref=TASKS,
        form=form,
        title=_("Add a task"),
        saved_message=_("Task added."),
        adding=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request, slug: str, pk: int):
    access, task = _owned(request, slug, Task, pk, rules.can_edit_task)
    form = TaskForm(request.POST or None, instance=task, access=access)
    return edit_view(
        request,
        access=access,
        ref=TASKS,
        form=form,
        title=_("Edit task"),
        saved_message=_("Task saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_delete(request, slug: str, pk: int):
    access, task = _owned(request, slug, Task, pk, rules.can_edit_task)
    return delete_view(
        request,
        access=access,
        ref=TASKS,
        obj=task,
        title=_("Delete the task “%(title)s”?") % {"title": task.title},
        explanation=_("The task and its assignment are removed."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def governance_edit(request, slug: str):
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    governance = Governance.objects.filter(
        collaboration=access.collaboration
    ).first() or Governance(collaboration=access.collaboration)
    form = GovernanceForm(request.POST or None, instance=governance, access=access)
    return edit_view(
        request,
        access=access,
        ref=GOVERNANCE,
        form=form,
        title=_("Governance and project management"),
        saved_message=_("Governance saved."),
    )
