"""Due-date reminders of milestones, for the periodic sweep (``periodic.py``)."""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from intersector.notifications.kinds import Audience
from intersector.notifications.reminders import DueItem, due_reminders_send, due_window

from .events import MILESTONE_DUE
from .models import Milestone
from .sections import MANAGE


def milestone_url(milestone: Milestone) -> str:
    url = reverse("implement:tool", args=[milestone.collaboration.slug, MANAGE])
    return f"{url}#milestone-{milestone.pk}"


def milestone_audience(milestone: Milestone) -> Audience:
    """A milestone of an activity: the facilitators and the organisation leading the
    activity; a milestone of a whole goal has no one organisation behind it: everyone."""
    if milestone.activity_id:
        return Audience.of(facilitators=True, partners=[milestone.activity.lead_id])
    return Audience.of(everyone=True)


def milestone_due_reminders(*, now: datetime) -> int:
    """Milestones due in 3 days, due today or missed: one notice each, never for one that
    is achieved."""
    today = timezone.localdate(now)
    milestones = (
        Milestone.objects.filter(due__range=due_window(today))
        .exclude(status=Milestone.Status.ACHIEVED)
        .select_related("collaboration", "activity")
    )
    items = [
        DueItem(
            key=f"milestone-due:{milestone.pk}",
            noun=_("Milestone"),
            title=milestone.title,
            due=milestone.due,
            collaboration=milestone.collaboration,
            url=milestone_url(milestone),
            audience=milestone_audience(milestone),
        )
        for milestone in milestones
    ]
    return due_reminders_send(items, kind=MILESTONE_DUE, today=today)
