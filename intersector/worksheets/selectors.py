"""Reads for the worksheet pages. Query counts stay constant as partners and answers grow."""

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from intersector.collaborations.access import Access
from intersector.collaborations.models import Collaboration, Sector

from .models import Comment, Consensus, ConsensusRevision, Perspective, PerspectiveRevision
from .toolkit import Question, Stage, Tool, questions_by_key, stages

# Autosave writes a version every time someone pauses typing. In the history, versions by
# the same person within this window are shown as one edit.
HISTORY_COALESCE = timedelta(minutes=10)
# Other partners' perspectives shown on a question before "Show N more perspectives".
OTHERS_SHOWN = 5


def dom_id(question_key: str) -> str:
    return "q-" + question_key.replace(".", "--")


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


def tool_questions(access: Access, tool: Tool, *, only: str | None = None) -> list[QuestionView]:
    """Everything the tool page shows per question, in four queries.

    Of other partners' perspectives only the first few per question are read; the rest and
    the revision history are loaded per question, on demand (``question_perspectives``,
    ``question_history``). ``only``: just that question (a live poll of one question).
    """
    collaboration = access.collaboration
    questions = [q for q in tool.questions if only is None or q.key == only]
    keys = [q.key for q in questions]
    views = {q.key: QuestionView(question=q, dom_id=dom_id(q.key)) for q in questions}
    my_partner_id = access.partner.pk if access.partner else None

    answers = Perspective.objects.filter(collaboration=collaboration, question_key__in=keys)
    if my_partner_id:
        for row in answers.filter(partner_id=my_partner_id).select_related("partner", "author"):
            views[row.question_key].mine = row
    # The first few others per question, by organisation name, and how many there are.
    first_others = (
        answers.exclude(text="")
        .exclude(partner_id=my_partner_id)
        .select_related("partner", "author")
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=F("question_key"),
                order_by=[F("partner__name").asc(), F("partner_id").asc()],
            ),
            others=Window(Count("*"), partition_by=F("question_key")),
        )
        .filter(place__lte=OTHERS_SHOWN)
        .order_by("partner__name", "partner_id")
    )
    for row in first_others:
        views[row.question_key].others_count = row.others
        views[row.question_key].others_first.append(row)

    for row in Consensus.objects.filter(
        collaboration=collaboration, question_key__in=keys
    ).select_related("author"):
        views[row.question_key].consensus = row

    for comment in Comment.objects.filter(
        collaboration=collaboration, question_key__in=keys
    ).select_related("author"):
        views[comment.question_key].comments.append(comment)
    return list(views.values())


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


def presenter_question(access: Access, question: Question) -> QuestionView:
    """The question with its agreed answer, as the tool page's agreed-answer block wants it
    (one query)."""
    view = QuestionView(question=question, dom_id=dom_id(question.key))
    view.consensus = (
        Consensus.objects.filter(collaboration=access.collaboration, question_key=question.key)
        .select_related("author")
        .first()
    )
    return view
