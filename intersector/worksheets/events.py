"""The kinds of notification the worksheets raise."""

from django.utils.translation import gettext_lazy as _

from intersector.notifications.kinds import Kind, register_kind
from intersector.notifications.models import Channel

STAGE_MOVED = register_kind(
    Kind("stage_moved", _("The collaboration moves to a new stage"), default=Channel.DIGEST)
).key
INPUT_REQUEST = register_kind(
    Kind(
        "input_request",
        _("A facilitator asks my organisation for its perspectives (and reminders)"),
        default=Channel.EMAIL,
    )
).key
INPUT_REQUEST_CLOSED = register_kind(
    Kind(
        "input_request_closed",
        _("An input request closes: who answered (facilitators)"),
        default=Channel.EMAIL,
    )
).key
