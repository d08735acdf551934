from django.db import transaction

from intersector.collaborations.access import Access

from .forms import VisionForm
from .models import Vision


@transaction.atomic
def vision_save(*, access: Access, form: VisionForm) -> Vision:
    vision = form.save(commit=False)
    vision.updated_by = access.membership.user
    vision.save()
    return vision
