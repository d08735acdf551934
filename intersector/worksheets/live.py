"""The live version of what a tool page (or the presenter view) shows, for htmx polling.

Pages poll every 2 s while visible (``static/js/app.js``). A poll carries the ETag of the
last answer it got; the view computes the version again (one query, below) and answers
``304 Not Modified`` when it is unchanged, before reading or rendering anything else.

The version is an aggregate over the questions' rows, not a counter the services bump: a
single counter row per collaboration would be updated by every autosave of a workshop, and
150 concurrent writers queueing on one row lock is what we must not build. Each part is
monotonic under concurrent commits (a save always raises its answer's ``version`` by one;
comments are only added), unlike ``max(updated_at)``, which misses a save stamped earlier
but committed later than the one a poll already saw. Every part is read through the
``(collaboration, question_key …)`` indexes the answers already have.

Other apps add what they show live (a consent proposal's tally, say) with
``register_live_part``: a function of the question keys returning named scalar
subqueries over ``OuterRef("pk")`` of the collaboration (names starting ``live_``, so
they never clash with a field of Collaboration); they join the same single query.
"""

import hashlib
from collections.abc import Callable, Iterable

from django.db.models import Count, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.cache import get_conditional_response

from intersector.collaborations.access import Access
from intersector.collaborations.models import Collaboration

from .models import Comment, Consensus, Perspective

LivePart = Callable[[list[str]], dict[str, Subquery]]
_PARTS: list[LivePart] = []


def register_live_part(part: LivePart) -> LivePart:
    """Add named aggregates to every live version (usable as a decorator)."""
    _PARTS.append(part)
    return part


def _aggregate(model, keys: list[str], expression) -> Coalesce:
    rows = (
        model.objects.filter(collaboration_id=OuterRef("pk"), question_key__in=keys)
        .order_by()
        .values("collaboration_id")
        .annotate(value=expression)
        .values("value")
    )
    return Coalesce(Subquery(rows), Value(0))


@register_live_part
def _answers(keys: list[str]) -> dict[str, Subquery]:
    return {
        "live_perspectives": _aggregate(Perspective, keys, Count("*")),
        "live_perspective_saves": _aggregate(Perspective, keys, Sum("version")),
        "live_agreed_saves": _aggregate(Consensus, keys, Sum("version")),
        "live_comments": _aggregate(Comment, keys, Count("*")),
    }


def live_version(collaboration: Collaboration, keys: Iterable[str]) -> tuple:
    """The questions' live version, in one query."""
    keys = sorted(keys)
    annotations: dict = {}
    for part in _PARTS:
        annotations.update(part(keys))
    names = sorted(annotations)
    values = (
        Collaboration.objects.filter(pk=collaboration.pk)
        .annotate(**annotations)
        .values_list(*names)
        .get()
    )
    return tuple(zip(names, values, strict=True))


def live_etag(access: Access, keys: Iterable[str], *, view: str) -> str:
    """The ETag of one person's live rendering of ``keys`` (what they see depends on who
    they are: their own perspective is not in it, facilitators see more)."""
    version = live_version(access.collaboration, keys)
    raw = repr((view, access.membership.pk, access.role, access.membership.partner_id, version))
    return '"' + hashlib.blake2b(raw.encode(), digest_size=12).hexdigest() + '"'


def not_modified(request, etag: str):
    """``304 Not Modified`` when the poll already has this version, else None."""
    return get_conditional_response(request, etag=etag)


def mark_live(response, etag: str):
    """Set the ETag; ``no-store`` keeps the browser from revalidating on its own, so the
    page's script sees the 304s (and swaps nothing) instead of cached 200s."""
    response["ETag"] = etag
    response["Cache-Control"] = "no-store"
    return response
