"""Reads for the worksheet pages. Query counts stay constant as partners and answers grow."""

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from intersector.collaborations.access import Access
from intersector.collaborations.models import Collaboration, Partner, Sector

from .consent import Tally, responding_memberships
from .models import (
    Comment,
    Consensus,
    ConsensusRevision,
    DecisionRule,
    InputRequest,
    Perspective,
    PerspectiveRevision,
    Position,
    Proposal,
    ProposalResponse,
)
from .toolkit import Question, Stage, Tool, questions_by_key, stages

# Autosave writes a version every time someone pauses typing. In the history, versions by
# the same person within this window are shown as one edit.
HISTORY_COALESCE = timedelta(minutes=10)
# Other partners' perspectives shown on a question before "Show N more perspectives".
OTHERS_SHOWN = 5
# The columns of another partner's perspective the tool page and its polls show.
OTHERS_COLUMNS = (
    "question_key",
    "text",
    "updated_at",
    "partner__name",
    "partner__sector",
    "author__full_name",
    "author__email",
    "author__imported_as",
)


def dom_id(question_key: str) -> str:
    return "q-" + question_key.replace(".", "--")


def question_url(collaboration, question_key: str, *, anchor: str | None = None) -> str:
    """The tool page of a question, scrolled to it (or to ``anchor`` on that page)."""
    stage, tool, _question = questions_by_key()[question_key]
    url = reverse(f"{stage.key}:tool", kwargs={"slug": collaboration.slug, "tool_slug": tool.slug})
    return f"{url}#{anchor or dom_id(question_key)}"


# Stage progress ------------------------------------------------------------------------


@dataclass
class ToolProgress:
    tool: Tool
    questions: int
    answered: int = 0  # questions with at least one partner's perspective
    agreed: int = 0
    partners: set = field(default_factory=set)  # partner ids that wrote on this tool

    @property
    def partner_count(self) -> int:
        return len(self.partners)


@dataclass
class StageProgress:
    stage: Stage
    tools: list[ToolProgress]

    @property
    def questions(self) -> int:
        return sum(t.questions for t in self.tools)

    @property
    def answered(self) -> int:
        return sum(t.answered for t in self.tools)

    @property
    def agreed(self) -> int:
        return sum(t.agreed for t in self.tools)

    @property
    def percent_agreed(self) -> int:
        return round(100 * self.agreed / self.questions) if self.questions else 0


@dataclass
class CurrentAnswers:
    """Which partners currently have a non-empty perspective on each question, and which
    questions have an agreed answer: the raw facts every progress figure is counted from."""

    partners_by_key: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    agreed_keys: set[str] = field(default_factory=set)

    def perspectives_by_partner(self) -> dict[int, int]:
        """Current non-empty perspectives per partner organisation id."""
        counts: dict[int, int] = defaultdict(int)
        for partner_ids in self.partners_by_key.values():
            for partner_id in partner_ids:
                counts[partner_id] += 1
        return counts


def current_answers(collaboration_ids) -> dict[int, CurrentAnswers]:
    """``CurrentAnswers`` of each collaboration, in two queries however many there are."""
    result = {pk: CurrentAnswers() for pk in collaboration_ids}
    perspectives = (
        Perspective.objects.filter(collaboration_id__in=result)
        .exclude(text="")
        .values_list("collaboration_id", "question_key", "partner_id")
    )
    for collaboration_id, key, partner_id in perspectives:
        result[collaboration_id].partners_by_key[key].add(partner_id)
    agreed = Consensus.objects.filter(
        collaboration_id__in=result, status=Consensus.Status.AGREED
    ).values_list("collaboration_id", "question_key")
    for collaboration_id, key in agreed:
        result[collaboration_id].agreed_keys.add(key)
    return result


def progress_from(answers: CurrentAnswers) -> dict[str, StageProgress]:
    """Count stage and tool progress from a collaboration's current answers (no queries)."""
    partners_by_key, agreed_keys = answers.partners_by_key, answers.agreed_keys
    result = {}
    for stage in stages():
        tools = []
        for tool in stage.tools:
            progress = ToolProgress(tool=tool, questions=len(tool.questions))
            for question in tool.questions:
                if partners_by_key.get(question.key):
                    progress.answered += 1
                    progress.partners |= partners_by_key[question.key]
                if question.key in agreed_keys:
                    progress.agreed += 1
            tools.append(progress)
        result[stage.key] = StageProgress(stage=stage, tools=tools)
    return result


def stage_progress(access: Access) -> dict[str, StageProgress]:
    """Progress of every stage and tool (two queries)."""
    collaboration_id = access.collaboration.pk
    return progress_from(current_answers([collaboration_id])[collaboration_id])


# Tool page -------------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    kind: str  # "perspective" or "consensus"
    label: str  # the organisation, or "Agreed answer"
    author: str
    at: object
    version: int
    text: str
    status: str = ""
    diff: list = field(default_factory=list)  # [(op, text)] with op in "", "ins", "del"


@dataclass
class QuestionView:
    question: Question
    dom_id: str
    mine: Perspective | None = None
    # The first OTHERS_SHOWN other partners' perspectives, by organisation name; the rest
    # (others_count in all) load behind "Show N more", so a question with many partners
    # stays short enough to work through.
    others_first: list[Perspective] = field(default_factory=list)
    others_count: int = 0
    consensus: Consensus | None = None
    comments: list[Comment] = field(default_factory=list)
    # Set by a save that was not applied, so the page shows the writer's own text again.
    draft: dict | None = None
    consensus_draft: dict | None = None
    consensus_saved: bool = False
    comment_draft: dict | None = None
    # Its rounds of "ask partners to agree", newest first (``question_proposals``).
    proposals: list = field(default_factory=list)
    # Set by a response or proposal form that was not accepted, to show it again.
    proposal_draft: dict | None = None

    @property
    def open_proposal(self):
        return next((p for p in self.proposals if p.proposal.is_open), None)

    @property
    def closed_proposals(self) -> list:
        return [p for p in self.proposals if not p.proposal.is_open]

    @property
    def others_more_count(self) -> int:
        return self.others_count - len(self.others_first)

    @property
    def mine_version(self) -> int:
        return self.mine.version if self.mine else 0

    @property
    def consensus_status(self) -> str:
        if self.consensus_draft and self.consensus_draft.get("status"):
            return self.consensus_draft["status"]
        return self.consensus.status if self.consensus else Consensus.Status.OPEN

    @property
    def consensus_version(self) -> int:
        return self.consensus.version if self.consensus else 0


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """Word-level changes from ``before`` to ``after`` as (op, words), op in "", "del", "ins"."""
    a, b = before.split(), after.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("", " ".join(a[i1:i2])))
        if op in ("delete", "replace"):
            out.append(("del", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("ins", " ".join(b[j1:j2])))
    return [(op, words) for op, words in out if words]


def _history(versions: list, label_for, kind: str) -> list[HistoryEntry]:
    """Coalesce one answer's versions (oldest first) into edits, each with a word diff."""
    entries: list[HistoryEntry] = []
    groups: list[list] = []
    for row in versions:
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and last.author_id == row.author_id
            and row.created_at - last.created_at <= HISTORY_COALESCE
        ):
            groups[-1].append(row)
        else:
            groups.append([row])
    previous_text = ""
    for group in groups:
        row = group[-1]
        entries.append(
            HistoryEntry(
                kind=kind,
                label=label_for(row),
                author=row.author.display_name if row.author else "",
                at=row.created_at,
                version=row.version,
                text=row.text,
                status=getattr(row, "get_status_display", lambda: "")(),
                diff=word_diff(previous_text, row.text),
            )
        )
        previous_text = row.text
    return entries


def tool_questions(
    access: Access,
    tool: Tool,
    *,
    only: str | None = None,
    parts: frozenset[str] = frozenset({"mine", "others", "agreed", "comments"}),
    with_proposals: bool = True,
) -> list[QuestionView]:
    """Everything the tool page shows per question, in four queries.

    Of other partners' perspectives only the first few per question are read; the rest and
    the revision history are loaded per question, on demand (``question_perspectives``,
    ``question_history``). ``only``: just that question (a live poll of one question);
    ``parts``: only what those regions show (a poll redraws only the regions that changed,
    and never the viewer's own perspective; ``round``: the open round alone), and the
    proposal rounds only ``with_proposals``.
    """
    collaboration = access.collaboration
    questions = [q for q in tool.questions if only is None or q.key == only]
    keys = [q.key for q in questions]
    views = {q.key: QuestionView(question=q, dom_id=dom_id(q.key)) for q in questions}
    my_partner_id = access.partner.pk if access.partner else None

    answers = Perspective.objects.filter(collaboration=collaboration, question_key__in=keys)
    if my_partner_id and "mine" in parts:
        for row in answers.filter(partner_id=my_partner_id).select_related("partner", "author"):
            views[row.question_key].mine = row
    if "others" in parts:
        _first_others(views, answers, my_partner_id)
        if my_partner_id and "mine" not in parts:
            # Whether there is one of their own decides the "no other partner" line.
            empty = [key for key, view in views.items() if not view.others_first]
            for row in answers.filter(partner_id=my_partner_id, question_key__in=empty).only(
                "question_key"
            ):
                views[row.question_key].mine = row
    if "agreed" in parts:
        for row in Consensus.objects.filter(
            collaboration=collaboration, question_key__in=keys
        ).select_related("author"):
            views[row.question_key].consensus = row
    if "comments" in parts:
        for comment in Comment.objects.filter(
            collaboration=collaboration, question_key__in=keys
        ).select_related("author"):
            views[comment.question_key].comments.append(comment)
    if with_proposals and not parts.isdisjoint({"agreed", "round"}):
        for key, rounds in question_proposals(access, keys).items():
            views[key].proposals = rounds
    return list(views.values())


def _first_others(views: dict, answers, my_partner_id) -> None:
    """The first few others per question, by organisation name, and how many there are."""
    others = answers.exclude(text="").exclude(partner_id=my_partner_id)
    others = others.select_related("partner", "author").order_by("partner__name", "partner_id")
    # Only what a perspective's card shows: the partner's and author's other columns cost
    # compiling and reading on every tool page and every poll.
    others = others.only(*OTHERS_COLUMNS)
    if len(views) == 1:
        # One question (a poll): a LIMIT, which costs half the filtered window's compiling.
        first_others = others.annotate(others=Window(Count("*")))[:OTHERS_SHOWN]
    else:
        first_others = others.annotate(
            place=Window(
                RowNumber(),
                partition_by=F("question_key"),
                order_by=[F("partner__name").asc(), F("partner_id").asc()],
            ),
            others=Window(Count("*"), partition_by=F("question_key")),
        ).filter(place__lte=OTHERS_SHOWN)
    for row in first_others:
        views[row.question_key].others_count = row.others
        views[row.question_key].others_first.append(row)


# Proposals ---------------------------------------------------------------------------------

POSITION_ORDER = [Position.AGREE, Position.RESERVATIONS, Position.STAND_ASIDE, Position.OBJECT]


@dataclass
class TallySegment:
    position: str
    label: str
    count: int
    x: float  # where it starts on the bar, in percent of the organisations
    width: float


@dataclass
class ProposalView:
    """One round of a question's proposal as the pages show it."""

    proposal: Proposal
    responses: list  # ProposalResponse, by organisation name
    organisations: list  # every organisation that can respond, by name
    mine: ProposalResponse | None = None
    can_respond: bool = False

    @property
    def tally(self) -> Tally:
        count = (
            self.proposal.organisations
            if not self.proposal.is_open and self.proposal.organisations
            else len(self.organisations)
        )
        return Tally.of((r.position for r in self.responses), organisations=count)

    @property
    def segments(self) -> list[TallySegment]:
        return tally_segments(self.tally)

    @property
    def waiting(self) -> list:
        """The organisations that have not responded (yet)."""
        answered = {r.partner_id for r in self.responses}
        return [p for p in self.organisations if p.pk not in answered]

    @property
    def reasons(self) -> list:
        return [r for r in self.responses if r.reason]

    @property
    def by_position(self) -> list[tuple[str, str, list]]:
        """``(position, label, responses)`` for each position given, in the tally's order
        (the presenter view's revealed names)."""
        groups = defaultdict(list)
        for response in self.responses:
            groups[response.position].append(response)
        return [(p, p.label, groups[p]) for p in POSITION_ORDER if groups[p]]


def tally_segments(tally: Tally) -> list[TallySegment]:
    """The tally's bar: one segment per position, in percent of the organisations."""
    x, out = 0.0, []
    total = tally.organisations or 1
    counts = {
        Position.AGREE: tally.agree,
        Position.RESERVATIONS: tally.reservations,
        Position.STAND_ASIDE: tally.stand_aside,
        Position.OBJECT: tally.object,
    }
    for position in POSITION_ORDER:
        width = round(100 * counts[position] / total, 2)
        out.append(TallySegment(position, position.label, counts[position], x, width))
        x += width
    return out


def _responding_partner_ids(collaboration_ids):
    return responding_memberships(collaboration_ids).values("partner_id")


def responding_organisations(collaboration_ids) -> dict[int, list[Partner]]:
    """Per collaboration, the organisations that can respond to proposals (a partner or a
    facilitator speaks for them), by name: one query."""
    result: dict[int, list[Partner]] = {pk: [] for pk in collaboration_ids}
    partner_ids = _responding_partner_ids(list(result))
    organisations = Partner.objects.filter(pk__in=partner_ids).only(
        "collaboration_id", "name", "sector"
    )
    for partner in organisations.order_by("name", "pk"):
        result[partner.collaboration_id].append(partner)
    return result


def question_proposals(
    access: Access, keys, *, open_only: bool = False
) -> dict[str, list[ProposalView]]:
    """Every round of the questions' proposals (``open_only``: the open ones, as a
    response redraws them), newest first, with their responses: three queries (one when no
    question has a proposal) whatever the number of organisations."""
    collaboration = access.collaboration
    rounds = Proposal.objects.filter(collaboration=collaboration, question_key__in=keys)
    if open_only:
        rounds = rounds.filter(closed_at__isnull=True)
    proposals = list(
        rounds.select_related("opened_by", "closed_by").order_by("question_key", "-round")
    )
    if not proposals:
        return {}
    responses = defaultdict(list)
    for response in (
        ProposalResponse.objects.filter(proposal__in=proposals)
        .select_related("partner", "author")
        .order_by("partner__name", "partner_id")
    ):
        responses[response.proposal_id].append(response)
    organisations = responding_organisations([collaboration.pk])[collaboration.pk]
    my_partner_id = access.partner.pk if access.partner else None
    eligible = access.can_contribute and any(p.pk == my_partner_id for p in organisations)
    result: dict[str, list[ProposalView]] = defaultdict(list)
    for proposal in proposals:
        mine = [r for r in responses[proposal.pk] if r.partner_id == my_partner_id]
        result[proposal.question_key].append(
            ProposalView(
                proposal=proposal,
                responses=responses[proposal.pk],
                organisations=organisations,
                mine=mine[0] if mine else None,
                can_respond=proposal.is_open and eligible,
            )
        )
    return result


def open_round(access: Access, question_key: str) -> "ProposalView | None":
    """The question's open round with its responses, if it has one (the presenter view's
    tally): one query, three with a round."""
    rounds = question_proposals(access, [question_key], open_only=True).get(question_key, [])
    return rounds[0] if rounds else None


def proposal_view(access: Access, proposal: Proposal) -> ProposalView:
    """One round with its responses (the round's own page)."""
    rounds = question_proposals(access, [proposal.question_key])[proposal.question_key]
    return next(view for view in rounds if view.proposal.pk == proposal.pk)


def decision_rule(collaboration: Collaboration) -> DecisionRule:
    return DecisionRule.of(collaboration)


def question_perspectives(access: Access, question_key: str) -> list[Perspective]:
    """Every other partner's current perspective on one question, by organisation name (one
    query): the page of all perspectives, and what "Show N more perspectives" loads."""
    my_partner_id = access.partner.pk if access.partner else None
    return list(
        Perspective.objects.filter(collaboration=access.collaboration, question_key=question_key)
        .exclude(partner_id=my_partner_id)
        .exclude(text="")
        .select_related("partner", "author")
        .order_by("partner__name", "partner_id")
    )


def question_history(collaboration: Collaboration, question_key: str) -> list[HistoryEntry]:
    """One question's revision history, newest edit first, in two queries: every partner's
    perspective and the agreed answer, autosaves coalesced, each edit with its word diff."""
    history: list[HistoryEntry] = []
    perspectives = defaultdict(list)  # partner id -> versions, oldest first
    for row in (
        PerspectiveRevision.objects.filter(collaboration=collaboration, question_key=question_key)
        .select_related("partner", "author")
        .order_by("partner__name", "partner_id", "version")
    ):
        perspectives[row.partner_id].append(row)
    for versions in perspectives.values():
        history += _history(versions, lambda row: row.partner.name, "perspective")
    consensus = list(
        ConsensusRevision.objects.filter(collaboration=collaboration, question_key=question_key)
        .select_related("author")
        .order_by("version")
    )
    history += _history(consensus, lambda row: "", "consensus")
    history.sort(key=lambda entry: entry.at, reverse=True)
    return history


@dataclass
class NewOnTool:
    """What others did on one tool since the person's last visit of the overview."""

    stage: Stage
    tool: Tool
    perspectives: int = 0
    comments: int = 0
    agreed_answers: int = 0


def new_since(access: Access, since) -> list[NewOnTool]:
    """Perspectives of other organisations written or changed, comments by others and
    agreed answers changed since ``since``, by tool in toolkit order (three queries)."""
    if since is None:
        return []
    collaboration = access.collaboration
    found: dict[str, NewOnTool] = {}

    def count(question_keys, attribute: str) -> None:
        for key in question_keys:
            where = questions_by_key().get(key)
            if where is None:
                continue
            stage, tool, _question = where
            entry = found.setdefault(f"{stage.key}/{tool.slug}", NewOnTool(stage, tool))
            setattr(entry, attribute, getattr(entry, attribute) + 1)

    perspectives = Perspective.objects.filter(collaboration=collaboration, updated_at__gt=since)
    if access.membership.partner_id:
        perspectives = perspectives.exclude(partner_id=access.membership.partner_id)
    count(perspectives.values_list("question_key", flat=True), "perspectives")
    count(
        Comment.objects.filter(collaboration=collaboration, created_at__gt=since)
        .exclude(author_id=access.membership.user_id)
        .values_list("question_key", flat=True),
        "comments",
    )
    count(
        Consensus.objects.filter(collaboration=collaboration, updated_at__gt=since)
        .exclude(author_id=access.membership.user_id)
        .values_list("question_key", flat=True),
        "agreed_answers",
    )
    order = {
        f"{s.key}/{t.slug}": i for i, (s, t) in enumerate((s, t) for s in stages() for t in s.tools)
    }
    return [found[key] for key in sorted(found, key=order.__getitem__)]


# Input requests ---------------------------------------------------------------------------

# Closed requests stay on the dashboard this long, with who answered.
CLOSED_SHOWN_FOR = timedelta(days=14)
# At most this many requests on the dashboard (open ones first, soonest due first).
REQUESTS_SHOWN = 20


def answered_partner_ids(request: InputRequest, answers: CurrentAnswers) -> set[int]:
    """The organisations with a perspective on every question of the request's tool."""
    keys = request.question_keys
    if not keys:
        return set()
    answered = set(answers.partners_by_key.get(keys[0], ()))
    for key in keys[1:]:
        answered &= answers.partners_by_key.get(key, set())
    return answered


@dataclass
class PartnerAnswer:
    partner: Partner
    answered: bool


@dataclass
class InputRequestStatus:
    request: InputRequest
    partners: list[PartnerAnswer]  # by organisation name

    @property
    def answered(self) -> list[Partner]:
        return [row.partner for row in self.partners if row.answered]

    @property
    def waiting(self) -> list[Partner]:
        return [row.partner for row in self.partners if not row.answered]


def input_request_statuses(
    collaboration: Collaboration, answers: CurrentAnswers, *, limit: int = REQUESTS_SHOWN
) -> list[InputRequestStatus]:
    """The dashboard's requests (open ones, and those closed lately), each with which
    organisations have answered: two queries, whatever the number of organisations."""
    recently = timezone.now() - CLOSED_SHOWN_FOR
    requests = (
        InputRequest.objects.filter(collaboration=collaboration)
        .filter(Q(closed_at=None) | Q(closed_at__gte=recently))
        .select_related("requested_by")
        .prefetch_related(Prefetch("partners", queryset=Partner.objects.order_by("name", "pk")))
        .order_by(F("closed_at").desc(nulls_first=True), "due", "pk")[:limit]
    )
    statuses = []
    for request in requests:
        answered = answered_partner_ids(request, answers)
        statuses.append(
            InputRequestStatus(
                request=request,
                partners=[
                    PartnerAnswer(partner=partner, answered=partner.pk in answered)
                    for partner in request.partners.all()
                ],
            )
        )
    return statuses


@dataclass
class WaitingRequest:
    request: InputRequest
    questions: int
    answered: int  # questions of the tool my organisation has a perspective on


def waiting_for_partner(access: Access, answers: CurrentAnswers) -> list[WaitingRequest]:
    """The open requests to the member's organisation that it has not fully answered yet
    (one query; none for a member who speaks for no organisation)."""
    partner = access.partner
    if partner is None or not access.can_contribute:
        return []
    waiting = []
    for request in (
        InputRequest.objects.filter(
            collaboration=access.collaboration, closed_at=None, partners=partner
        )
        .select_related("requested_by")
        .order_by("due", "pk")
    ):
        keys = request.question_keys
        done = sum(1 for key in keys if partner.pk in answers.partners_by_key.get(key, ()))
        if done < len(keys):
            waiting.append(WaitingRequest(request=request, questions=len(keys), answered=done))
    return waiting


@dataclass
class OpenProposal:
    """An open proposal as the stage page, dashboard and portfolio list it."""

    proposal: Proposal
    responded: int
    organisations: int

    @property
    def question(self) -> Question:
        return self._located[2]

    @property
    def stage(self) -> Stage:
        return self._located[0]

    @property
    def tool(self) -> Tool:
        return self._located[1]

    @property
    def _located(self):
        return questions_by_key()[self.proposal.question_key]

    @property
    def response_rate(self) -> int:
        return round(100 * self.responded / self.organisations) if self.organisations else 0

    @property
    def url(self) -> str:
        stage, tool, _question = self._located
        slug = self.proposal.collaboration.slug
        anchor = dom_id(self.proposal.question_key)
        return reverse(f"{stage.key}:tool", args=[slug, tool.slug]) + f"#{anchor}-proposal"


@dataclass
class ProposalsWaiting:
    """One organisation and how many open proposals it has not responded to."""

    partner: Partner
    unanswered: int


@dataclass
class OpenProposals:
    proposals: list[OpenProposal]
    waiting: list[ProposalsWaiting]  # organisations with unanswered open proposals, most first


def open_proposals(collaboration_ids) -> dict[int, OpenProposals]:
    """Per collaboration, its open proposals (soonest closing first) with their response
    rates, and per organisation how many of them it has not responded to: three queries
    however many collaborations, organisations and proposals."""
    ids = list(collaboration_ids)
    known = questions_by_key()
    rows = [
        p
        for p in Proposal.objects.filter(collaboration_id__in=ids, closed_at__isnull=True)
        .select_related("collaboration")
        .annotate(responded=Count("responses"))
        .order_by("closes_at", "pk")
        if p.question_key in known
    ]
    if not rows:  # the usual case: one query
        return {pk: OpenProposals(proposals=[], waiting=[]) for pk in ids}
    organisations = responding_organisations(ids)
    answered: dict[int, int] = defaultdict(int)  # partner id -> open proposals answered
    for partner_id, n in (
        ProposalResponse.objects.filter(collaboration_id__in=ids, proposal__closed_at__isnull=True)
        .order_by()
        .values("partner_id")
        .annotate(n=Count("pk"))
        .values_list("partner_id", "n")
    ):
        answered[partner_id] = n
    result = {}
    for pk in ids:
        mine = [p for p in rows if p.collaboration_id == pk]
        partners = organisations[pk]
        waiting = [
            ProposalsWaiting(partner=partner, unanswered=len(mine) - answered[partner.pk])
            for partner in partners
            if len(mine) - answered[partner.pk] > 0
        ]
        waiting.sort(key=lambda w: (-w.unanswered, w.partner.name.casefold()))
        result[pk] = OpenProposals(
            proposals=[
                OpenProposal(proposal=p, responded=p.responded, organisations=len(partners))
                for p in mine
            ],
            waiting=waiting,
        )
    return result


# Presenter view --------------------------------------------------------------------------


@dataclass
class SectorGroup:
    sector: str
    label: str
    perspectives: list[Perspective] = field(default_factory=list)


def presenter_board(access: Access, question_key: str) -> list[SectorGroup]:
    """Every organisation's perspective on one question, grouped by sector in the sectors'
    order and by organisation name within one (one query)."""
    groups: dict[str, SectorGroup] = {}
    rows = (
        Perspective.objects.filter(collaboration=access.collaboration, question_key=question_key)
        .exclude(text="")
        .select_related("partner", "author")
        .order_by("partner__name", "partner_id")
    )
    for row in rows:
        sector = row.partner.sector
        group = groups.setdefault(sector, SectorGroup(sector, row.partner.get_sector_display()))
        group.perspectives.append(row)
    order = {value: i for i, value in enumerate(Sector.values)}
    return sorted(groups.values(), key=lambda group: order.get(group.sector, len(order)))


def presenter_question(
    access: Access, question: Question, *, with_proposals: bool = True
) -> QuestionView:
    """The question with its agreed answer and its proposal rounds, as the tool page's
    agreed-answer block wants them (two queries; four with a proposal). The live poll
    redraws only the agreed answer: it asks ``with_proposals=False`` (one query)."""
    view = QuestionView(question=question, dom_id=dom_id(question.key))
    view.consensus = (
        Consensus.objects.filter(collaboration=access.collaboration, question_key=question.key)
        .select_related("author")
        .first()
    )
    if with_proposals:
        view.proposals = question_proposals(access, [question.key]).get(question.key, [])
    return view
