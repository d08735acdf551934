from django.db import transaction
from django.utils import timezone

from intersector.collaborations.access import Access

from .forms import DecisionForm
from .models import Decision


@transaction.atomic
def decision_save(*, access: Access, form: DecisionForm) -> Decision:
    """Save the go / no-go decision with who recorded it, and when."""
    decision = form.save(commit=False)
    decision.recorded_by = access.membership.user
    decision.recorded_at = timezone.now()
    decision.save()
    form.save_m2m()
    return decision
