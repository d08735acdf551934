"""The live version of what a tool page (or the presenter view) shows, for htmx polling.

Pages poll every 1.5 s while visible (``static/js/app.js``: what others save shows within
2 s, the interval plus the poll's own answer). A poll carries the ETag of the last answer it
got; the view computes the version again (one query, below) and answers ``304 Not
Modified`` when it is unchanged, before reading or rendering anything else. Otherwise the
ETag it sent says which parts it has seen (``LiveState``), and the view reads and renders
only the regions whose part changed: in a workshop, where a question's perspectives change
every few hundred milliseconds, that is the others' perspectives alone.

The version is an aggregate over the questions' rows, not a counter the services bump: a
single counter row per collaboration would be updated by every autosave of a workshop, and
150 concurrent writers queueing on one row lock is what we must not build. Each part is
monotonic under concurrent commits (a save always raises its answer's ``version`` by one;
comments are only added), unlike ``max(updated_at)``, which misses a save stamped earlier
but committed later than the one a poll already saw. Every part is read through a
``(collaboration, question_key …)`` index (``perspective_live`` covers the version sum, so
it is an index-only scan). A tool page polls each question on screen apart (a phone shows
one), so a poll renders one question when it changed.

Other apps add what they show live (a consent proposal's tally, say) with
``register_live_part``: a function of the question keys and the ``Viewer`` (their
organisation) returning named scalar subqueries over ``OuterRef("pk")`` of the collaboration (names starting ``live_``, so
they never clash with a field of Collaboration); they join the same single query.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Count, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.cache import get_conditional_response

from intersector.collaborations.access import Access
from intersector.collaborations.models import Collaboration

from .models import Comment, Consensus, Perspective, Proposal, ProposalResponse

LivePart = Callable[[list[str], "Viewer"], dict[str, Subquery]]
_PARTS: list[LivePart] = []


def register_live_part(part: LivePart) -> LivePart:
    """Add named aggregates to every live version (usable as a decorator)."""
    _PARTS.append(part)
    return part


def _aggregate(model, keys: list[str], expression, *, exclude=None) -> Coalesce:
    rows = model.objects.filter(collaboration_id=OuterRef("pk"), question_key__in=keys)
    if exclude:
        rows = rows.exclude(**exclude)
    return Coalesce(_scalar(rows, "collaboration_id", expression), Value(0))


def _scalar(rows, group: str, expression) -> Subquery:
    return Subquery(rows.order_by().values(group).annotate(value=expression).values("value"))


@register_live_part
def _answers(keys: list[str], viewer: "Viewer") -> dict[str, Subquery]:
    # The viewer's own perspective is not in what they see live: their saves change nothing.
    # (A removed organisation's perspectives lower the sum: a change too.)
    own = {"partner_id": viewer.partner_id} if viewer.partner_id else None
    return {
        "live_perspective_saves": _aggregate(Perspective, keys, Sum("version"), exclude=own),
        "live_agreed_saves": _aggregate(Consensus, keys, Sum("version")),
        "live_comments": _aggregate(Comment, keys, Count("*")),
    }


@register_live_part
def _proposals(keys: list[str], viewer: "Viewer") -> dict[str, Subquery]:
    """A round opened or closed, its names revealed or hidden on the presenter view, and
    every response given or changed (each raises its ``version``) to the open rounds, the
    viewer's own too: a response's answer leaves the tally and rows to the poll."""
    rounds = Proposal.objects.filter(collaboration_id=OuterRef("pk"), question_key__in=keys)
    responses = ProposalResponse.objects.filter(
        proposal__collaboration_id=OuterRef("pk"),
        proposal__question_key__in=keys,
        proposal__closed_at__isnull=True,
    )
    group = "collaboration_id"
    open_ = Q(closed_at__isnull=True)
    return {
        # Opening and closing a round each raise it (rounds are never deleted).
        "live_rounds": Coalesce(_scalar(rounds, group, Count("*") + Count("closed_at")), 0),
        # Whether the open round's names are shown (a question has one open round).
        "live_names_revealed": Coalesce(
            _scalar(rounds, group, Count("names_revealed_at", filter=open_)), 0
        ),
        "live_responses": Coalesce(
            _scalar(responses, "proposal__collaboration_id", Sum("version")), 0
        ),
    }


@lru_cache(maxsize=2048)
def _version_query(keys: tuple[str, ...], partner_id: int | None):
    """The annotated (never evaluated) query, built once per organisation and questions:
    building the subqueries costs more than running them. Parts may depend on the viewer's
    organisation only."""
    viewer = Viewer(partner_id)
    annotations: dict = {}
    for part in _PARTS:
        annotations.update(part(list(keys), viewer))
    names = sorted(annotations)
    return names, Collaboration.objects.annotate(**annotations).values_list(*names)


@dataclass(frozen=True)
class Viewer:
    """What a live part may know of the person polling: their organisation."""

    partner_id: int | None


def live_version(access: Access, keys: Iterable[str], *, with_own: bool = False) -> tuple:
    """The questions' live version as ``access``'s member sees them, in one query;
    ``with_own``: their own organisation's perspectives too (the presenter view shows
    every organisation's, a facilitator's own included)."""
    partner_id = None if with_own else access.membership.partner_id
    names, query = _version_query(tuple(sorted(keys)), partner_id)
    values = query.filter(pk=access.collaboration.pk).get()
    return tuple(zip(names, values, strict=True))


def _part_tag(identity: tuple, name: str, value) -> str:
    return hashlib.blake2b(repr((identity, name, value)).encode(), digest_size=6).hexdigest()


@dataclass(frozen=True)
class LiveState:
    """One person's live version of some questions, and the ETag naming it.

    The ETag is one short hash per part (``live_perspective_saves``, ``live_comments`` …),
    each over the person's view, membership and role too; a poll that sends its last ETag
    back therefore says which parts it has already seen, and ``changed`` tells the view
    which regions to render. A foreign or malformed ETag matches no part: all changed."""

    etag: str
    tags: dict[str, str]
    seen: tuple[str, ...] = ()

    def changed(self, *names: str) -> bool:
        """Whether any of ``names`` — or any part a view does not know of (a registered
        part whose region it cannot pick apart) — changed since the poll's last answer."""
        if len(self.seen) != len(self.tags):
            return True
        for (name, tag), had in zip(self.tags.items(), self.seen, strict=True):
            if tag != had and (name in names or name not in KNOWN_PARTS):
                return True
        return False


# The parts the tool page and the presenter view render regions for; any other (registered)
# part redraws every region.
CONSENT_PARTS = ("live_rounds", "live_names_revealed", "live_responses")
KNOWN_PARTS = frozenset(
    {"live_perspective_saves", "live_agreed_saves", "live_comments", *CONSENT_PARTS}
)


def live_state(access: Access, keys: Iterable[str], *, view: str, request=None) -> LiveState:
    """The live version of ``keys`` as ``access``'s member sees it (what they see depends on
    who they are: their own perspective is not in it, facilitators see more), with what
    ``request``'s ``If-None-Match`` says the poll already has."""
    version = live_version(access, keys, with_own=view == "present")
    identity = (view, access.membership.pk, access.role, access.membership.partner_id)
    tags = {name: _part_tag(identity, name, value) for name, value in version}
    etag = '"' + ".".join(tags.values()) + '"'
    seen: tuple[str, ...] = ()
    if request is not None:
        sent = request.headers.get("If-None-Match", "").strip().removeprefix("W/")
        if sent.startswith('"') and sent.endswith('"') and "," not in sent:
            seen = tuple(sent[1:-1].split("."))
    return LiveState(etag=etag, tags=tags, seen=seen)


def live_etag(access: Access, keys: Iterable[str], *, view: str) -> str:
    """The ETag of one person's live rendering of ``keys``."""
    return live_state(access, keys, view=view).etag


def not_modified(request, etag: str):
    """``304 Not Modified`` when the poll already has this version, else None."""
    return get_conditional_response(request, etag=etag)


def mark_live(response, etag: str):
    """Set the ETag; ``no-store`` keeps the browser from revalidating on its own, so the
    page's script sees the 304s (and swaps nothing) instead of cached 200s."""
    response["ETag"] = etag
    response["Cache-Control"] = "no-store"
    return response
