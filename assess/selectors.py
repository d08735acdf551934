"""Read-side of the Assess stage: the context each tool-page section renders with."""

from implement.inline import section_context
from intersector.collaborations.access import Access

from .forms import EvaluationPlanForm
from .models import EvaluationPlan
from .sections import SECTIONS


def evaluation_plan(access: Access, *, form=None) -> dict:
    plan = EvaluationPlan.objects.filter(collaboration=access.collaboration).first()
    return {
        "plan": plan,
        "can_edit": access.is_facilitator,
        "form": form
        if form is not None
        else (
            EvaluationPlanForm(instance=plan) if access.is_facilitator and plan is None else None
        ),
    }


def measurements(access: Access) -> dict:
    return section_context(SECTIONS["measurements"], access)


def observations(access: Access) -> dict:
    return section_context(SECTIONS["observations"], access)


def lessons(access: Access) -> dict:
    return section_context(SECTIONS["lessons"], access)
