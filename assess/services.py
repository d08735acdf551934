from django.db import transaction

from intersector.collaborations.access import Access

from .forms import EvaluationPlanForm
from .models import EvaluationPlan


@transaction.atomic
def evaluation_plan_save(*, access: Access, form: EvaluationPlanForm) -> EvaluationPlan:
    plan = form.save(commit=False)
    plan.updated_by = access.membership.user
    plan.save()
    return plan
