"""Read-side of the Implement stage: the context each tool-page section renders with."""

from django.db.models import Prefetch

from design.models import Activity
from intersector.collaborations.access import Access
from intersector.worksheets.inline import Window, records_context

from .models import Champion
from .sections import SECTIONS


def milestones(access: Access, window: Window | None = None) -> dict:
    return records_context(SECTIONS["milestones"], access, window)


def updates(access: Access, window: Window | None = None) -> dict:
    return records_context(SECTIONS["updates"], access, window)


def wins(access: Access, window: Window | None = None) -> dict:
    return records_context(SECTIONS["wins"], access, window)


def feedback(access: Access, window: Window | None = None) -> dict:
    return records_context(SECTIONS["feedback"], access, window)


def issues(access: Access, window: Window | None = None) -> dict:
    return records_context(SECTIONS["issues"], access, window)


def champions(access: Access, window: Window | None = None) -> dict:
    return records_context(SECTIONS["champions"], access, window)


def contributions(access: Access) -> dict:
    """What each partner organisation brings and leads: the interdependency at a glance."""
    partners = access.collaboration.partners.order_by("sector", "name").prefetch_related(
        Prefetch(
            "led_activities",
            queryset=Activity.objects.filter(collaboration=access.collaboration).order_by("start"),
        ),
        "indicators",
    )
    champions_by_partner: dict[int, list[Champion]] = {}
    for champion in Champion.objects.filter(
        collaboration=access.collaboration, partner__isnull=False
    ):
        champions_by_partner.setdefault(champion.partner_id, []).append(champion)
    rows = [
        {
            "partner": partner,
            "activities": list(partner.led_activities.all()),
            "indicators": list(partner.indicators.all()),
            "champions": champions_by_partner.get(partner.pk, []),
        }
        for partner in partners
    ]
    return {"rows": rows}
