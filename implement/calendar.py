"""Milestones in people's calendar feeds: every milestone of their collaborations."""

from django.utils.translation import gettext as _

from intersector.notifications.calendar import CalendarEntry, register_calendar_source

from .models import Milestone
from .reminders import milestone_url


def milestone_entries(user, memberships) -> list[CalendarEntry]:
    milestones = Milestone.objects.filter(
        collaboration_id__in=[m.collaboration_id for m in memberships]
    ).select_related("collaboration")
    return [
        CalendarEntry(
            uid=f"milestone-{milestone.pk}",
            day=milestone.due,
            summary=_("Milestone: %(title)s") % {"title": milestone.title},
            url=milestone_url(milestone),
            collaboration=milestone.collaboration.title,
            description=milestone.get_status_display(),
        )
        for milestone in milestones
    ]


register_calendar_source(milestone_entries)
