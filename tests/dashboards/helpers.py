"""Builders for dashboard tests: answers, agreed answers and delivery records."""

import datetime
from decimal import Decimal

from django.utils import timezone

from assess.models import Measurement
from design.models import Task
from implement.models import Milestone, Win
from intersector.collaborations.models import Sector
from intersector.worksheets.models import (
    Consensus,
    ConsensusRevision,
    Perspective,
    PerspectiveRevision,
)
from intersector.worksheets.toolkit import questions_by_key
from tests.world import make_activity, make_indicator, make_partner

TODAY = timezone.localdate()
KEYS = list(questions_by_key())


def perspective_version(**fields):
    """A version of a perspective, as a save leaves it: its revision row, and the current row
    moved to it (``created_at`` is when that version was saved)."""
    at = fields.pop("created_at", None) or timezone.now()
    identity = {name: fields.pop(name) for name in ("collaboration", "question_key", "partner")}
    PerspectiveRevision.objects.create(**identity, **fields, created_at=at)
    row, _created = Perspective.objects.update_or_create(
        **identity,
        defaults={**fields, "updated_at": at},
        create_defaults={**fields, "created_at": at, "updated_at": at},
    )
    return row


def consensus_version(**fields):
    """A version of an agreed answer, as ``perspective_version`` for perspectives."""
    at = fields.pop("created_at", None) or timezone.now()
    identity = {name: fields.pop(name) for name in ("collaboration", "question_key")}
    ConsensusRevision.objects.create(**identity, **fields, created_at=at)
    row, _created = Consensus.objects.update_or_create(
        **identity,
        defaults={**fields, "updated_at": at},
        create_defaults={**fields, "created_at": at, "updated_at": at},
    )
    return row


def answer(partner, key: str, text: str = "Our view.", version: int = 1, **fields):
    return perspective_version(
        collaboration=partner.collaboration,
        partner=partner,
        question_key=key,
        version=version,
        text=text,
        **fields,
    )


def agree(collaboration, key: str, status=Consensus.Status.AGREED, version: int = 1):
    return consensus_version(
        collaboration=collaboration,
        question_key=key,
        version=version,
        text="What we agreed.",
        status=status,
    )


def populate(collaboration, n: int) -> dict:
    """n partners, each with answers, a task, a milestone and an indicator with measurements."""
    sectors = list(Sector)
    partners = [
        make_partner(collaboration, f"Organisation {i:02d}", sector=sectors[i % len(sectors)])
        for i in range(n)
    ]
    activity = make_activity(collaboration, partners[0])
    for i, partner in enumerate(partners):
        for key in KEYS[i : i + 3]:
            answer(partner, key)
        Task.objects.create(
            collaboration=collaboration,
            activity=activity,
            title=f"Task {i}",
            responsible=partner,
            due=TODAY - datetime.timedelta(days=i % 3),
        )
        Milestone.objects.create(
            collaboration=collaboration,
            activity=activity,
            title=f"Milestone {i}",
            due=TODAY + datetime.timedelta(days=i - n // 2),
            created_for=partner,
        )
        indicator = make_indicator(collaboration, owner=partner, goal=activity.goal, name=f"I{i}")
        for m in range(3):
            Measurement.objects.create(
                collaboration=collaboration,
                indicator=indicator,
                measured_on=TODAY - datetime.timedelta(days=30 * m),
                value=Decimal(10 * m + i),
                created_for=partner,
            )
        Win.objects.create(collaboration=collaboration, title=f"Win {i}", created_for=partner)
    for key in KEYS[:n:2]:
        agree(collaboration, key)
    return {"partners": partners, "activity": activity}
