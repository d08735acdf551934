from .forms import VisionForm
from .models import Vision


def vision_save(*, form: VisionForm, user) -> Vision:
    vision = form.save(commit=False)
    vision.updated_by = user
    vision.save()
    return vision
