"""The worksheets' periodic work: proposals close at their date; reminders a day before."""

from intersector.background.periodic import register_periodic

from .services import proposals_sweep

register_periodic("proposals: close due, remind", proposals_sweep)
