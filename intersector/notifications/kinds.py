"""The kinds of event, registered by the apps that raise them (their ``notifications.py``,
or at import of their services):

    register_kind(Kind("comment", _("Comments on questions my organisation answered"),
                       default=Channel.DIGEST, audience=commenters_audience))

``audience(event)`` runs in the fan-out task, never in the request: it may query. Without
one, the event's own ``payload["audience"]`` (what ``notify`` was given) is used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .models import Channel, Event


@dataclass(frozen=True)
class Audience:
    """Who must hear of an event, before the fan-out checks who is still a member:
    people by id, the members speaking for organisations (partner ids; observers never
    speak for one), every facilitator, or every member."""

    users: frozenset[int] = field(default_factory=frozenset)
    partners: frozenset[int] = field(default_factory=frozenset)
    facilitators: bool = False
    everyone: bool = False

    @classmethod
    def of(
        cls,
        *,
        users: Iterable[int] = (),
        partners: Iterable[int] = (),
        facilitators: bool = False,
        everyone: bool = False,
    ) -> Audience:
        return cls(
            users=frozenset(u for u in users if u),
            partners=frozenset(p for p in partners if p),
            facilitators=facilitators,
            everyone=everyone,
        )

    def as_payload(self) -> dict:
        return {
            "users": sorted(self.users),
            "partners": sorted(self.partners),
            "facilitators": self.facilitators,
            "everyone": self.everyone,
        }

    @classmethod
    def from_payload(cls, data: dict) -> Audience:
        return cls.of(
            users=data.get("users", ()),
            partners=data.get("partners", ()),
            facilitators=data.get("facilitators", False),
            everyone=data.get("everyone", False),
        )


def audience_from_payload(event: Event) -> Audience:
    return Audience.from_payload(event.payload.get("audience", {}))


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    default: str = Channel.DIGEST
    audience: Callable[[Event], Audience] = audience_from_payload
    # Membership events (removed, invited) reach people who are not (or no longer) members.
    requires_membership: bool = True


_kinds: dict[str, Kind] = {}


def register_kind(kind: Kind) -> Kind:
    if kind.key in _kinds and _kinds[kind.key] != kind:
        raise ValueError(f"Notification kind {kind.key!r} is already registered")
    _kinds[kind.key] = kind
    return kind


def get_kind(key: str) -> Kind:
    return _kinds[key]


def all_kinds() -> tuple[Kind, ...]:
    return tuple(_kinds.values())
