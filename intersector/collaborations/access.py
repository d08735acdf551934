"""The one way a view reaches a collaboration.

Every collaboration-scoped view starts with ``get_collaboration_for_user``. People who are
not members get a 404 (we never reveal that a collaboration exists); members whose role
does not allow the action get a 403.
"""

import enum
import functools
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest

from .models import ChangeMarker, Collaboration, Membership, Partner, Role


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

    @property
    def change_version(self) -> int | None:
        """The collaboration's change marker as read with the membership (change_markers.py)."""
        return getattr(self.membership, "change_version", None)

    @property
    def answers_version(self) -> int | None:
        """The collaboration's answers marker, read with the change marker."""
        return getattr(self.membership, "answers_version", None)

    def allows(self, need: Need) -> bool:
        if need is Need.READ:
            return True
        if need is Need.CONTRIBUTE:
            return self.can_contribute
        return self.membership.role == Role.FACILITATOR


# The membership with its collaboration, organisation and change markers, as one statement
# written once per database vendor from the models' fields: composing it with the ORM on
# every request (select_related, the marker subquery) cost 2.9 ms of CPU here, more than all
# else a kept page does; running the written statement and building the three objects from
# its row costs about a sixth of that. Values go through Django's own field converters.
_MEMBERSHIP_PARTS = (("m", Membership), ("c", Collaboration), ("p", Partner))


@functools.cache
def _membership_statement(vendor: str) -> tuple[str, list]:
    quote = connection.ops.quote_name
    columns, parts = [], []
    for alias, model in _MEMBERSHIP_PARTS:
        fields = model._meta.concrete_fields
        converters = []  # (position, column, its converters) where there are any
        for position, field in enumerate(fields):
            column = field.get_col(alias)
            found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if found:
                converters.append((position, column, found))
        columns += [f"{alias}.{quote(field.column)}" for field in fields]
        parts.append((model, [field.attname for field in fields], converters))
    sql = (
        f"SELECT {', '.join(columns)}, "  # noqa: S608 (the models' own column names)
        "k.version, k.answers_version "
        f"FROM {Membership._meta.db_table} m "
        f"JOIN {Collaboration._meta.db_table} c ON c.id = m.collaboration_id "
        f"LEFT JOIN {Partner._meta.db_table} p ON p.id = m.partner_id "
        f"LEFT JOIN {ChangeMarker._meta.db_table} k ON k.collaboration_id = m.collaboration_id "
        "WHERE m.user_id = %s AND c.slug = %s"
    )
    return sql, parts


def _membership(user_id: int, slug: str) -> Membership | None:
    sql, parts = _membership_statement(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, slug])
        row = cursor.fetchone()
    if row is None:
        return None
    objects, start = [], 0
    for model, attnames, converters in parts:
        values = list(row[start : start + len(attnames)])
        start += len(attnames)
        for position, column, found in converters:
            for converter in found:
                values[position] = converter(values[position], column, connection)
        exists = values[0] is not None  # no organisation: the LEFT JOIN's NULLs
        objects.append(model.from_db(connection.alias, attnames, values) if exists else None)
    membership, membership.collaboration, membership.partner = objects
    membership.change_version, membership.answers_version = row[-2:]
    return membership


def get_collaboration_for_user(
    request: HttpRequest, slug: str, *, need: Need = Need.READ
) -> Access:
    """Return the collaboration and the user's membership in it, in one query.

    The same query reads the collaboration's change marker, before any of its data is read.
    """
    if not request.user.is_authenticated:
        raise Http404
    membership = _membership(request.user.pk, slug)
    if membership is None:
        raise Http404
    access = Access(collaboration=membership.collaboration, membership=membership)
    if not access.allows(need):
        raise PermissionDenied
    return access
