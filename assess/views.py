"""Inline editing endpoints of the Assess stage; the logic lives in ``inline.py``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from implement import inline
from intersector.collaborations.access import Need, get_collaboration_for_user
from intersector.worksheets.toolkit import get_stage

from . import selectors, services
from .forms import EvaluationPlanForm
from .models import EvaluationPlan
from .sections import SECTIONS

PLAN_TOOL = "define-the-intent-of-the-evaluation"


@login_required
@require_GET
def section(request, slug: str, kind: str):
    return inline.section_view(request, slug, kind, sections=SECTIONS)


@login_required
@require_http_methods(["GET", "POST"])
def add(request, slug: str, kind: str):
    return inline.add_view(request, slug, kind, sections=SECTIONS)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug: str, kind: str, pk: int):
    return inline.edit_view(request, slug, kind, pk, sections=SECTIONS)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, slug: str, kind: str, pk: int):
    return inline.delete_view(request, slug, kind, pk, sections=SECTIONS)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, slug: str):
    """The evaluation plan: one per collaboration, agreed and recorded by a facilitator."""
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    plan = EvaluationPlan.objects.filter(collaboration=access.collaboration).first()
    form = EvaluationPlanForm(request.POST or None, instance=plan)
    tool_url = (
        reverse("assess:tool", kwargs={"slug": slug, "tool_slug": PLAN_TOOL}) + "#artefact-plan"
    )
    if request.method == "POST" and form.is_valid():
        services.evaluation_plan_save(access=access, form=form)
        if not request.htmx:
            messages.success(request, _("Evaluation plan saved."))
            return redirect(tool_url)
        form = None
    context = {
        "access": access,
        "collaboration": access.collaboration,
        "ctx": selectors.evaluation_plan(access, form=form),
        "heading_id": "artefact-plan",
        "artefact": get_stage("assess").tool(PLAN_TOOL).artefacts[0],
        "editing": form is not None,
        "tool_url": tool_url,
    }
    status = 422 if form is not None and form.is_bound else 200
    if request.htmx:
        return render(request, "assess/plan.html#section", context, status=status)
    return render(request, "assess/plan_edit.html", context, status=status)
