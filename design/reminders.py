"""Due-date reminders of tasks, for the periodic sweep (``periodic.py``)."""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from intersector.notifications.kinds import Audience
from intersector.notifications.reminders import DueItem, due_reminders_send, due_window

from .events import TASK_DUE
from .models import Task
from .sections import MANAGER


def task_url(task: Task) -> str:
    return reverse("design:tool", args=[task.collaboration.slug, MANAGER]) + f"#task-{task.pk}"


def task_due_reminders(*, now: datetime) -> int:
    """Tell a task's assignee and its responsible organisation that it is due in 3 days,
    due today or overdue: one notice each, never for a task that is done."""
    today = timezone.localdate(now)
    tasks = (
        Task.objects.filter(due__range=due_window(today))
        .exclude(status=Task.Status.DONE)
        .select_related("collaboration")
    )
    items = [
        DueItem(
            key=f"task-due:{task.pk}",
            noun=_("Task"),
            title=task.title,
            due=task.due,
            collaboration=task.collaboration,
            url=task_url(task),
            audience=Audience.of(users=[task.assignee_id], partners=[task.responsible_id]),
        )
        for task in tasks
    ]
    return due_reminders_send(items, kind=TASK_DUE, today=today)
