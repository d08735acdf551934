"""The kinds of notification the worksheets raise."""

from django.utils.translation import gettext_lazy as _

from intersector.notifications.kinds import Kind, register_kind
from intersector.notifications.models import Channel

STAGE_MOVED = register_kind(
    Kind("stage_moved", _("The collaboration moves to a new stage"), default=Channel.DIGEST)
).key
PROPOSAL_OPENED = register_kind(
    Kind(
        "proposal_opened",
        _("Partners are asked to agree an answer"),
        default=Channel.EMAIL,
    )
).key
PROPOSAL_REMINDER = register_kind(
    Kind(
        "proposal_reminder",
        _("A proposal my organisation has not responded to closes within a day"),
        default=Channel.EMAIL,
    )
).key
PROPOSAL_OUTCOME = register_kind(
    Kind("proposal_outcome", _("The outcome of a proposal"), default=Channel.DIGEST)
).key
