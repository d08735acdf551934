"""The worksheets' share of the report and of the JSON export (see intersector/collaborations/registry.py).

Report: every current agreed answer and every partner's current perspective of the report's
stages, fetched once per report in two queries, grouped by tool for the template.

Export: perspectives and agreed answers with their FULL version history (the revision
rows), comments and stage moves; partners by name, people by e-mail. An import loads the
revisions and makes the newest version of each answer its current row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from intersector.collaborations.models import Collaboration
from intersector.collaborations.registry import register_export_section, register_report_data
from intersector.collaborations.serialise import Spec, export_group, load_group

from .models import (
    Comment,
    Consensus,
    ConsensusRevision,
    Perspective,
    PerspectiveRevision,
    StageMove,
)
from .toolkit import Question, stages


@dataclass
class AnswerView:
    question: Question
    consensus: Consensus | None = None
    perspectives: list[Perspective] = field(default_factory=list)

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
        for row in Consensus.objects.filter(collaboration=collaboration, question_key__in=keys)
    }
    return {
        tool.slug: ToolAnswers(
            questions=[
                AnswerView(
                    question=q,
                    consensus=consensus.get(q.key),
                    perspectives=perspectives.get(q.key, []),
                )
                for q in tool.questions
            ]
        )
        for stage in wanted
        for tool in stage.tools
    }


register_report_data("worksheets", report_answers)


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
SPECS = {
    "perspectives": PERSPECTIVE,
    "agreed_answers": CONSENSUS,
    "comments": COMMENT,
    "stage_moves": STAGE_MOVE,
}


def export_worksheets(collaboration: Collaboration) -> dict:
    return export_group(SPECS, collaboration)


def load_worksheets(collaboration: Collaboration, data, context) -> None:
    load_group(SPECS, collaboration, data, context, "worksheets")
    _current_from_revisions(Perspective, PerspectiveRevision, collaboration, ("partner_id",))
    _current_from_revisions(Consensus, ConsensusRevision, collaboration, ("status",))


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


register_export_section("worksheets", export=export_worksheets, load=load_worksheets, specs=SPECS)
