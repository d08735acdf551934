"""Tasks in people's calendar feeds: those assigned to them or to their organisation."""

from django.db.models import Q
from django.utils.translation import gettext as _

from intersector.notifications.calendar import (
    CalendarEntry,
    register_calendar_source,
    speaking_for,
)

from .models import Task
from .reminders import task_url


def task_entries(user, memberships) -> list[CalendarEntry]:
    """The open tasks with a due date assigned to the person or to the organisation they
    speak for, in the collaborations they are a member of (one query)."""
    mine = Q(assignee_id=user.pk)
    for collaboration_id, partner_id in speaking_for(memberships).items():
        mine |= Q(collaboration_id=collaboration_id, responsible_id=partner_id)
    tasks = (
        Task.objects.filter(collaboration_id__in=[m.collaboration_id for m in memberships])
        .filter(mine)
        .exclude(due=None)
        .exclude(status=Task.Status.DONE)
        .select_related("collaboration", "responsible")
    )
    return [
        CalendarEntry(
            uid=f"task-{task.pk}",
            day=task.due,
            summary=_("Task due: %(title)s") % {"title": task.title},
            url=task_url(task),
            collaboration=task.collaboration.title,
            description=_("Responsible: %(org)s") % {"org": task.responsible.name},
        )
        for task in tasks
    ]


register_calendar_source(task_entries)
