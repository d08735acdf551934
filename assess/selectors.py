"""Read-side of the Assess stage: the context each tool-page section renders with."""

from intersector.collaborations.access import Access
from intersector.worksheets.inline import Window, records_context

from .forms import EvaluationPlanForm
from .models import EvaluationPlan
from .sections import SECTIONS


def evaluation_plan(access: Access) -> dict:
    """The plan; before there is one, a facilitator sees its form straight away."""
    plan = EvaluationPlan.objects.filter(collaboration=access.collaboration).first()
    return {
        "plan": plan,
        "can_edit": access.is_facilitator,
        "form": EvaluationPlanForm(access=access)
        if access.is_facilitator and plan is None
        else None,
    }


def measurements(access: Access) -> dict:
    return records_context(SECTIONS["measurements"], access)


def observations(access: Access, window: Window | None = None) -> dict:
    return records_context(SECTIONS["observations"], access, window)


def lessons(access: Access, window: Window | None = None) -> dict:
    return records_context(SECTIONS["lessons"], access, window)
