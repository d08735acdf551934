"""The one way a view reaches a collaboration.

Every collaboration-scoped view starts with ``get_collaboration_for_user``. People who are
not members get a 404 (we never reveal that a collaboration exists); members whose role
does not allow the action get a 403.
"""

import enum
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from .models import Collaboration, Membership, Partner, Role


class Need(enum.Enum):
    READ = "read"  # any member: facilitator, partner, observer
    CONTRIBUTE = "contribute"  # facilitators and partners
    MANAGE = "manage"  # facilitators only


@dataclass(frozen=True)
class Access:
    collaboration: Collaboration
    membership: Membership

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def is_facilitator(self) -> bool:
        return self.membership.is_facilitator

    @property
    def can_contribute(self) -> bool:
        return self.membership.can_contribute

    @property
    def partner(self) -> Partner | None:
        """The organisation this member speaks for, if any."""
        return self.membership.partner

    def allows(self, need: Need) -> bool:
        if need is Need.READ:
            return True
        if need is Need.CONTRIBUTE:
            return self.can_contribute
        return self.membership.role == Role.FACILITATOR


def get_collaboration_for_user(
    request: HttpRequest, slug: str, *, need: Need = Need.READ
) -> Access:
    """Return the collaboration and the user's membership in it, in one query."""
    if not request.user.is_authenticated:
        raise Http404
    try:
        membership = Membership.objects.select_related("collaboration", "partner").get(
            user_id=request.user.pk, collaboration__slug=slug
        )
    except Membership.DoesNotExist:
        raise Http404 from None
    access = Access(collaboration=membership.collaboration, membership=membership)
    if not access.allows(need):
        raise PermissionDenied
    return access
