"""Input requests in people's calendar feeds: those addressed to their organisation."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from intersector.notifications.calendar import (
    CalendarEntry,
    register_calendar_source,
    speaking_for,
)

from .models import InputRequest


def input_request_entries(user, memberships) -> list[CalendarEntry]:
    """The open requests to the organisations the person speaks for (one query; none for
    someone who speaks for no organisation)."""
    organisations = speaking_for(memberships)
    if not organisations:
        return []
    addressed = Q()
    for collaboration_id, partner_id in organisations.items():
        addressed |= Q(collaboration_id=collaboration_id, partners=partner_id)
    requests = (
        InputRequest.objects.filter(addressed, closed_at=None)
        .select_related("collaboration")
        .distinct()
    )
    return [
        CalendarEntry(
            uid=f"input-request-{request.pk}",
            day=request.due,
            summary=_("Perspectives wanted: %(tool)s") % {"tool": request.tool.name},
            url=reverse(
                f"{request.stage}:tool", args=[request.collaboration.slug, request.tool_slug]
            ),
            collaboration=request.collaboration.title,
            description=request.message,
        )
        for request in requests
    ]


register_calendar_source(input_request_entries)
