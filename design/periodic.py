from intersector.background.periodic import register_periodic

from .reminders import task_due_reminders

register_periodic("task due reminders", lambda now: task_due_reminders(now=now))
