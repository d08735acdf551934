"""The worksheets' share of the report and of the JSON export (see intersector/collaborations/registry.py).

Report: every current agreed answer and every partner's current perspective of the report's
stages, and each agreed answer's consent record (every round of its proposal with the
responses, and the decision rule), fetched once per report in five queries, grouped by tool
for the template.

Export: perspectives and agreed answers with their FULL version history (the revision
rows), comments, stage moves, the decision rule, proposals with their responses and which
round agreed each answer; partners by name, people by e-mail. An import loads the revisions
and makes the newest version of each answer its current row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from intersector.collaborations.models import Collaboration
from intersector.collaborations.registry import (
    ImportFailed,
    register_export_section,
    register_report_data,
)
from intersector.collaborations.serialise import Spec, expect, export_group, load_group

from .consent import Tally
from .models import (
    Comment,
    Consensus,
    ConsensusRevision,
    DecisionRule,
    Perspective,
    PerspectiveRevision,
    Proposal,
    ProposalResponse,
    StageMove,
)
from .services import responding_partner_ids
from .toolkit import Question, stages


@dataclass
class RoundRecord:
    """One closed or open round of a proposal, for the report's consent record."""

    proposal: Proposal
    responses: list[ProposalResponse] = field(default_factory=list)
    organisations: int = 0

    @property
    def tally(self) -> Tally:
        count = self.proposal.organisations or self.organisations
        return Tally.of((r.position for r in self.responses), organisations=count)

    @property
    def reasons(self) -> list[ProposalResponse]:
        return [r for r in self.responses if r.reason]


@dataclass
class AnswerView:
    question: Question
    consensus: Consensus | None = None
    perspectives: list[Perspective] = field(default_factory=list)
    rounds: list[RoundRecord] = field(default_factory=list)  # oldest first

    @property
    def status(self) -> str:
        return self.consensus.status if self.consensus else Consensus.Status.OPEN

    @property
    def status_label(self) -> str:
        return (
            self.consensus.get_status_display() if self.consensus else Consensus.Status.OPEN.label
        )

    @property
    def has_agreed_text(self) -> bool:
        return bool(self.consensus and self.consensus.text.strip())

    @property
    def is_empty(self) -> bool:
        return not self.has_agreed_text and not self.perspectives


@dataclass
class ToolAnswers:
    questions: list[AnswerView]

    @property
    def agreed(self) -> int:
        return sum(1 for q in self.questions if q.status == Consensus.Status.AGREED)

    @property
    def answered(self) -> list[AnswerView]:
        return [q for q in self.questions if not q.is_empty]

    @property
    def unanswered(self) -> list[AnswerView]:
        return [q for q in self.questions if q.is_empty]


def report_answers(collaboration: Collaboration, stage_keys: tuple[str, ...]) -> dict:
    """``{tool_slug: ToolAnswers}`` for the report's stages, in two queries."""
    wanted = [s for s in stages() if s.key in stage_keys]
    keys = [q.key for s in wanted for t in s.tools for q in t.questions]
    perspectives = defaultdict(list)
    rows = (
        Perspective.objects.filter(collaboration=collaboration, question_key__in=keys)
        .exclude(text="")
        .select_related("partner")
        .order_by("question_key", "partner__name", "partner_id")
    )
    for row in rows:
        perspectives[row.question_key].append(row)
    consensus = {
        row.question_key: row
        for row in Consensus.objects.filter(
            collaboration=collaboration, question_key__in=keys
        ).select_related("agreed_by")
    }
    rounds = consent_records(collaboration, keys)
    return {
        tool.slug: ToolAnswers(
            questions=[
                AnswerView(
                    question=q,
                    consensus=consensus.get(q.key),
                    perspectives=perspectives.get(q.key, []),
                    rounds=rounds.get(q.key, []),
                )
                for q in tool.questions
            ]
        )
        for stage in wanted
        for tool in stage.tools
    }


def consent_records(collaboration: Collaboration, keys) -> dict[str, list[RoundRecord]]:
    """Every round of the questions' proposals, oldest first, with their responses (two
    queries; a third for the organisations only when a round is still open)."""
    proposals = list(
        Proposal.objects.filter(collaboration=collaboration, question_key__in=keys)
        .select_related("closed_by")
        .order_by("question_key", "round")
    )
    if not proposals:
        return {}
    by_pk = {p.pk: RoundRecord(proposal=p) for p in proposals}
    for response in (
        ProposalResponse.objects.filter(proposal__in=proposals)
        .select_related("partner", "author")
        .order_by("partner__name", "partner_id")
    ):
        by_pk[response.proposal_id].responses.append(response)
    if any(p.is_open for p in proposals):
        count = len(responding_partner_ids(collaboration.pk))
        for record in by_pk.values():
            record.organisations = count
    result: dict[str, list[RoundRecord]] = defaultdict(list)
    for record in by_pk.values():
        result[record.proposal.question_key].append(record)
    return result


def report_decision_rule(collaboration: Collaboration, stage_keys) -> DecisionRule:
    return DecisionRule.of(collaboration)


register_report_data("worksheets", report_answers)
register_report_data("decision_rule", report_decision_rule)


# ---- export ---------------------------------------------------------------------------

PERSPECTIVE = Spec(
    kind="worksheets.perspective",
    model=PerspectiveRevision,
    fields=("question_key", "version", "text", "created_at"),
    order=("question_key", "partner__name", "version"),
    partners=("partner",),
    people=("author",),
)
CONSENSUS = Spec(
    kind="worksheets.consensus",
    model=ConsensusRevision,
    fields=("question_key", "version", "text", "status", "created_at"),
    order=("question_key", "version"),
    people=("author",),
)
COMMENT = Spec(
    kind="worksheets.comment",
    model=Comment,
    fields=("question_key", "text"),
    order=("created_at",),
    people=("author",),
    restore=("created_at",),
)
STAGE_MOVE = Spec(
    kind="worksheets.stage_move",
    model=StageMove,
    fields=("from_stage", "to_stage"),
    order=("moved_at",),
    people=("moved_by",),
    restore=("moved_at",),
)
DECISION_RULE = Spec(
    kind="worksheets.decision_rule",
    model=DecisionRule,
    fields=("rule", "quorum_percent", "period_days"),
    people=("updated_by",),
    single=True,
)
PROPOSAL = Spec(
    kind="worksheets.proposal",
    model=Proposal,
    fields=(
        "question_key",
        "round",
        "text",
        "rule",
        "quorum_percent",
        "opened_at",
        "closes_at",
        "reminded_at",
        "closed_at",
        "outcome",
        "outcome_statement",
        "organisations",
    ),
    order=("question_key", "round"),
    people=("opened_by", "closed_by"),
)
RESPONSE = Spec(
    kind="worksheets.proposal_response",
    model=ProposalResponse,
    fields=("position", "reason", "created_at", "updated_at"),
    order=("proposal__question_key", "proposal__round", "partner__name"),
    partners=("partner",),
    people=("author",),
    refs={"proposal": "worksheets.proposal"},
)
SPECS = {
    "perspectives": PERSPECTIVE,
    "agreed_answers": CONSENSUS,
    "comments": COMMENT,
    "stage_moves": STAGE_MOVE,
    "decision_rule": DECISION_RULE,
    "proposals": PROPOSAL,
    "proposal_responses": RESPONSE,
}
# Which round agreed each answer: [{"question_key", "round", "changed_since_agreed"}].
AGREEMENTS = "agreements"


def export_worksheets(collaboration: Collaboration) -> dict:
    data = export_group(SPECS, collaboration)
    data[AGREEMENTS] = [
        {
            "question_key": row.question_key,
            "round": row.agreed_by.round,
            "changed_since_agreed": row.changed_since_agreed,
        }
        for row in Consensus.objects.filter(collaboration=collaboration, agreed_by__isnull=False)
        .select_related("agreed_by")
        .order_by("question_key")
    ]
    return data


def load_worksheets(collaboration: Collaboration, data, context) -> None:
    if isinstance(data, dict):
        data = dict(data)
        agreements = data.pop(AGREEMENTS, [])
    else:
        agreements = []
    load_group(SPECS, collaboration, data, context, "worksheets")
    _current_from_revisions(Perspective, PerspectiveRevision, collaboration, ("partner_id",))
    _current_from_revisions(Consensus, ConsensusRevision, collaboration, ("status",))
    _load_agreements(collaboration, agreements)


def _load_agreements(collaboration: Collaboration, agreements) -> None:
    expect(agreements, list, "“worksheets → agreements”")
    rounds = {
        (p.question_key, p.round): p for p in Proposal.objects.filter(collaboration=collaboration)
    }
    for number, row in enumerate(agreements, start=1):
        where = f"worksheets → agreements {number}"
        expect(row, dict, where)
        proposal = rounds.get((row.get("question_key"), row.get("round")))
        if proposal is None:
            raise ImportFailed(f"{where} names a proposal round the file lacks.")
        Consensus.objects.filter(
            collaboration=collaboration, question_key=proposal.question_key
        ).update(agreed_by=proposal, changed_since_agreed=bool(row.get("changed_since_agreed")))


def _current_from_revisions(model, revision_model, collaboration, extra: tuple[str, ...]):
    """Each answer's current row: its newest revision, first saved at its oldest."""
    newest: dict[tuple, object] = {}
    first_saved: dict[tuple, object] = {}
    for revision in revision_model.objects.filter(collaboration=collaboration).order_by(
        "version", "pk"
    ):
        answer = (revision.question_key, getattr(revision, "partner_id", None))
        newest[answer] = revision
        first_saved.setdefault(answer, revision.created_at)
    model.objects.bulk_create(
        model(
            collaboration=collaboration,
            question_key=revision.question_key,
            version=revision.version,
            text=revision.text,
            author_id=revision.author_id,
            created_at=first_saved[answer],
            updated_at=revision.created_at,
            **{name: getattr(revision, name) for name in extra},
        )
        for answer, revision in newest.items()
    )


register_export_section(
    "worksheets",
    export=export_worksheets,
    load=load_worksheets,
    specs=SPECS,
    extra=(AGREEMENTS,),
)
