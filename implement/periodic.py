from intersector.background.periodic import register_periodic

from .reminders import milestone_due_reminders

register_periodic("milestone due reminders", lambda now: milestone_due_reminders(now=now))
