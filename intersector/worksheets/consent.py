"""Whether a proposal passed: a plain function of the rule, the quorum and the positions.

- Quorum: at least ``quorum_percent`` of the organisations that could respond did (every
  response counts, stand-asides included). Without it the outcome is "no quorum", whatever
  the positions.
- Stand-asides count toward the quorum, never toward agreement.
- **Consent** passes when no organisation objects.
- **Consensus** passes when every organisation that took a position (did not stand aside)
  agrees, with or without reservations, none objects, and at least one agrees.
- **Majority** passes when more organisations agree (with or without reservations) than
  object.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from intersector.collaborations.models import Membership, Role

from .models import DecisionRule, Outcome, Position


def responding_memberships(collaboration_ids):
    """The memberships through which an organisation responds to proposals: a partner or a
    facilitator who speaks for one (observers, and members of no organisation, do not)."""
    return Membership.objects.filter(
        collaboration_id__in=collaboration_ids,
        role__in=[Role.PARTNER, Role.FACILITATOR],
        partner__isnull=False,
    )


@dataclass(frozen=True)
class Tally:
    """The positions given on a proposal, counted, and how many organisations could respond."""

    agree: int = 0
    reservations: int = 0
    stand_aside: int = 0
    object: int = 0
    organisations: int = 0

    @classmethod
    def of(cls, positions: Iterable[str], *, organisations: int) -> "Tally":
        counts = Counter(positions)
        return cls(
            agree=counts[Position.AGREE],
            reservations=counts[Position.RESERVATIONS],
            stand_aside=counts[Position.STAND_ASIDE],
            object=counts[Position.OBJECT],
            organisations=organisations,
        )

    @property
    def responded(self) -> int:
        return self.agree + self.reservations + self.stand_aside + self.object

    @property
    def supporting(self) -> int:
        return self.agree + self.reservations

    @property
    def not_responded(self) -> int:
        return max(self.organisations - self.responded, 0)

    def percent(self, count: int) -> int:
        return round(100 * count / self.organisations) if self.organisations else 0

    @property
    def response_rate(self) -> int:
        return self.percent(self.responded)

    def has_quorum(self, quorum_percent: int) -> bool:
        return self.responded > 0 and 100 * self.responded >= quorum_percent * self.organisations


def decide(*, rule: str, quorum_percent: int, tally: Tally) -> str:
    """The ``Outcome`` of a proposal with these responses (see the module docstring)."""
    if not tally.has_quorum(quorum_percent):
        return Outcome.NO_QUORUM
    if rule == DecisionRule.Rule.CONSENT:
        passed = tally.object == 0
    elif rule == DecisionRule.Rule.CONSENSUS:
        passed = tally.object == 0 and tally.supporting > 0
    elif rule == DecisionRule.Rule.MAJORITY:
        passed = tally.supporting > tally.object
    else:
        raise ValueError(f"Unknown decision rule {rule!r}")
    return Outcome.PASSED if passed else Outcome.NOT_PASSED
