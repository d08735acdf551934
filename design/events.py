"""The kinds of notification Design raises."""

from django.utils.translation import gettext_lazy as _

from intersector.notifications.kinds import Kind, register_kind
from intersector.notifications.models import Channel

TASK_DUE = register_kind(
    Kind(
        "task_due",
        _("A task of mine or of my organisation is due in 3 days, due today or overdue"),
        default=Channel.DIGEST,
    )
).key
TASK_ASSIGNED = register_kind(
    Kind(
        "task_assigned",
        _("A task is assigned to me or my organisation"),
        default=Channel.DIGEST,
    )
).key
