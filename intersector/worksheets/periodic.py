"""The worksheets' periodic work: input requests remind and close; proposals close at
their date and remind a day before."""

from intersector.background.periodic import register_periodic

from .services import input_requests_close, input_requests_remind, proposals_sweep

register_periodic("input request reminders", lambda now: input_requests_remind(now=now))
register_periodic("close input requests", lambda now: input_requests_close(now=now))
register_periodic("proposals: close due, remind", proposals_sweep)
