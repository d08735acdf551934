from django.db import transaction

from intersector.collaborations.access import Access

from .models import EvaluationPlan


@transaction.atomic
def evaluation_plan_save(*, access: Access, form) -> EvaluationPlan:
    plan = form.save(commit=False)
    plan.collaboration = access.collaboration
    plan.updated_by = access.membership.user
    plan.save()
    return plan
