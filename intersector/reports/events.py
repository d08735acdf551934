"""The kinds of notification the reports raise."""

from django.utils.translation import gettext_lazy as _

from intersector.notifications.kinds import Kind, register_kind
from intersector.notifications.models import Channel

REPORT_READY = register_kind(
    Kind("report_ready", _("A report I asked for is ready"), default=Channel.DIGEST)
).key
DATA_JOB_DONE = register_kind(
    Kind(
        "data_job_done",
        _("An import or export I asked for has finished"),
        default=Channel.DIGEST,
    )
).key
