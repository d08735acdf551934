"""The kinds of notification Design raises."""

from django.utils.translation import gettext_lazy as _

from intersector.notifications.kinds import Kind, register_kind
from intersector.notifications.models import Channel

TASK_ASSIGNED = register_kind(
    Kind(
        "task_assigned",
        _("A task is assigned to me or my organisation"),
        default=Channel.DIGEST,
    )
).key
