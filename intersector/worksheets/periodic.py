from intersector.background.periodic import register_periodic

from .services import input_requests_close, input_requests_remind

register_periodic("input request reminders", lambda now: input_requests_remind(now=now))
register_periodic("close input requests", lambda now: input_requests_close(now=now))
