from django.db import transaction
from django.utils import timezone

from .forms import DecisionForm
from .models import Decision


@transaction.atomic
def decision_record(*, form: DecisionForm, user) -> Decision:
    """Save the go / no-go decision with who recorded it, and when."""
    decision = form.save(commit=False)
    decision.recorded_by = user
    decision.recorded_at = timezone.now()
    decision.save()
    form.save_m2m()
    return decision
