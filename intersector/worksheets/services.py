"""Writes for the worksheet engine. See ``models.py`` for the versioning design.

``perspective_save`` and ``consensus_save`` each cost **one** query when they succeed: a
conditional ``INSERT … SELECT … WHERE <base is still the latest version>``. The unique
constraint on (answer, version) catches the rare case where two saves pass that check at the
same moment. Either way the loser gets :class:`Conflict` carrying the current version, and
nothing of theirs is written.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intersector.collaborations.access import Access
from intersector.collaborations.models import Collaboration, Stage

from .models import COMMENT_MAX_LENGTH, TEXT_MAX_LENGTH, Comment, Consensus, Perspective, StageMove
from .toolkit import questions_by_key

# Versions are PositiveIntegerFields: a base beyond that range is a forged or broken page.
MAX_VERSION = 2**31 - 1


class Conflict(Exception):
    """Someone saved the same answer since the writer's base version."""

    def __init__(self, current):
        super().__init__("conflict")
        self.current = current  # the latest row (Perspective or Consensus), or None


@dataclass(frozen=True)
class Saved:
    version: int
    saved_at: datetime
    changed: bool = True  # False when the text was identical to the base version


def check_question_key(question_key: str) -> None:
    if question_key not in questions_by_key():
        raise ValidationError(
            _("This question no longer exists in the toolkit, so the answer was not saved."),
            code="unknown_question",
        )


def check_text(text: str, *, limit: int = TEXT_MAX_LENGTH) -> str:
    text = text.replace("\r\n", "\n")
    if "\x00" in text:
        # PostgreSQL cannot store NUL; say so instead of the database failing.
        raise ValidationError(
            _("Not saved: the text contains a null character. Remove it and save again."),
            code="null_characters_not_allowed",
        )
    if len(text) > limit:
        raise ValidationError(
            _(
                "Not saved: the text has %(length)s characters; the limit is %(limit)s. "
                "Shorten it and save again."
            )
            % {"length": f"{len(text):,}", "limit": f"{limit:,}"},
            code="too_long",
        )
    return text


def check_base_version(base_version) -> int:
    try:
        value = int(base_version)
    except (TypeError, ValueError):
        value = -1
    if not 0 <= value < MAX_VERSION:
        raise ValidationError(
            _("Not saved: the page is out of date. Copy your text, reload and try again."),
            code="bad_version",
        )
    return value


def _conditional_insert(model, *, identity: dict, base: int, values: dict) -> int:
    """INSERT version ``base + 1`` only if ``base`` is the latest and the values differ.

    Returns the number of rows inserted (0 or 1). Raises IntegrityError if a concurrent save
    inserted the same version first.
    """
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    identity_columns = {model._meta.get_field(k).column: v for k, v in identity.items()}
    value_columns = {model._meta.get_field(k).column: v for k, v in values.items()}
    where_identity = " AND ".join(f"{qn(c)} = %s" for c in identity_columns)
    same_values = " AND ".join(f"{qn(c)} = %s" for c in value_columns if c != "created_at")
    columns = [*identity_columns, "version", *value_columns]
    params = [*identity_columns.values(), base + 1, *value_columns.values()]
    # Only quoted identifiers from model metadata are interpolated; all values are parameters.
    sql = (
        f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) "  # noqa: S608
        f"SELECT {', '.join(['%s'] * len(columns))} "
        f"WHERE COALESCE((SELECT MAX({qn('version')}) FROM {table} WHERE {where_identity}), 0) = %s "
        f"AND NOT EXISTS (SELECT 1 FROM {table} WHERE {where_identity} "
        f"AND {qn('version')} = %s AND {same_values})"
    )
    params += [*identity_columns.values(), base]
    params += [*identity_columns.values(), base]
    params += [v for c, v in value_columns.items() if c != "created_at"]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _save_version(model, *, identity: dict, base: int, values: dict, now) -> Saved:
    values = {**values, "created_at": connection.ops.adapt_datetimefield_value(now)}
    try:
        if connection.in_atomic_block:
            # Inside a transaction (tests, or a caller's atomic block) a failed INSERT would
            # break the whole transaction: isolate it in a savepoint. Requests run in
            # autocommit, where the savepoint is not needed and the save stays one query.
            with transaction.atomic():
                inserted = _conditional_insert(model, identity=identity, base=base, values=values)
        else:
            inserted = _conditional_insert(model, identity=identity, base=base, values=values)
    except IntegrityError:
        inserted = 0
    if inserted:
        return Saved(version=base + 1, saved_at=now)
    current = model.objects.filter(**identity).select_related("author").order_by("-version").first()
    unchanged = current is not None and current.version == base
    if unchanged and all(getattr(current, k) == v for k, v in values.items() if k != "created_at"):
        return Saved(version=base, saved_at=current.created_at, changed=False)
    raise Conflict(current)


def perspective_save(*, access: Access, question_key: str, text: str, base_version) -> Saved:
    """Save the signed-in member's organisation's perspective on one question."""
    if not access.can_contribute:
        raise PermissionDenied
    if access.partner is None:
        raise ValidationError(
            _(
                "You do not speak for a partner organisation here, so you cannot write a perspective."
            ),
            code="no_partner",
        )
    check_question_key(question_key)
    text = check_text(text)
    base = check_base_version(base_version)
    return _save_version(
        Perspective,
        identity={
            "collaboration_id": access.collaboration.pk,
            "question_key": question_key,
            "partner_id": access.partner.pk,
        },
        base=base,
        values={"text": text, "author_id": access.membership.user_id},
        now=timezone.now(),
    )


def consensus_save(
    *, access: Access, question_key: str, text: str, status: str, base_version
) -> Saved:
    """Save the agreed answer to one question (facilitators only)."""
    if not access.is_facilitator:
        raise PermissionDenied
    check_question_key(question_key)
    text = check_text(text)
    if status not in Consensus.Status.values:
        raise ValidationError(_("Choose a status: open, discussed or agreed."), code="status")
    base = check_base_version(base_version)
    return _save_version(
        Consensus,
        identity={"collaboration_id": access.collaboration.pk, "question_key": question_key},
        base=base,
        values={"text": text, "status": status, "author_id": access.membership.user_id},
        now=timezone.now(),
    )


def comment_add(*, access: Access, question_key: str, text: str) -> Comment:
    if not access.can_contribute:
        raise PermissionDenied
    check_question_key(question_key)
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError(_("Write a comment first."), code="empty")
    check_text(text, limit=COMMENT_MAX_LENGTH)
    return Comment.objects.create(
        collaboration=access.collaboration,
        question_key=question_key,
        author_id=access.membership.user_id,
        text=text,
    )


def stage_move(*, access: Access, to_stage: str, from_stage: str | None = None) -> StageMove:
    """Move the collaboration's current stage (facilitators only), recording who and when.

    ``from_stage`` is the stage the facilitator saw; if another facilitator moved the stage
    meanwhile, nothing changes and the caller is told.
    """
    if not access.is_facilitator:
        raise PermissionDenied
    if to_stage not in Stage.values or (from_stage and from_stage not in Stage.values):
        raise ValidationError(_("Unknown stage."), code="stage")
    collaboration = access.collaboration
    from_stage = from_stage or collaboration.current_stage
    if to_stage == from_stage:
        raise ValidationError(_("The collaboration is already in this stage."), code="same")
    with transaction.atomic():
        moved = Collaboration.objects.filter(pk=collaboration.pk, current_stage=from_stage).update(
            current_stage=to_stage, updated_at=timezone.now()
        )
        if not moved:
            raise ValidationError(
                _("Someone else moved the stage just now. Check the stage and try again."),
                code="conflict",
            )
        collaboration.current_stage = to_stage
        return StageMove.objects.create(
            collaboration=collaboration,
            from_stage=from_stage,
            to_stage=to_stage,
            moved_by_id=access.membership.user_id,
        )
