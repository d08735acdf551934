"""The kinds of notification Implement raises."""

from django.utils.translation import gettext_lazy as _

from intersector.notifications.kinds import Kind, register_kind
from intersector.notifications.models import Channel

MILESTONE_DUE = register_kind(
    Kind(
        "milestone_due",
        _("A milestone is due in 3 days, due today or missed"),
        default=Channel.DIGEST,
    )
).key
