"""Writes for the worksheet engine. See ``models.py`` for how answers are kept.

``perspective_save`` and ``consensus_save`` share one way to save an answer: an UPDATE of
the answer's row that applies only while its version is still the one the writer started
from, and a revision row, in one transaction. A stale save updates nothing and becomes a
:class:`Conflict` carrying the current row; nothing of the writer's is written.
"""

import datetime as dt
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from intersector.background.tasks import enqueue_on_commit
from intersector.collaborations.access import Access
from intersector.collaborations.models import Collaboration, Membership, Role, Stage
from intersector.notifications.kinds import Audience
from intersector.notifications.models import Event
from intersector.notifications.services import notify

from . import tasks
from .consent import Tally, decide
from .events import (
    INPUT_REQUEST,
    INPUT_REQUEST_CLOSED,
    PROPOSAL_OPENED,
    PROPOSAL_OUTCOME,
    PROPOSAL_REMINDER,
    STAGE_MOVED,
)
from .models import (
    COMMENT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    REASON_REQUIRED,
    TEXT_MAX_LENGTH,
    Comment,
    Consensus,
    ConsensusRevision,
    DecisionRule,
    InputRequest,
    Outcome,
    Perspective,
    PerspectiveRevision,
    Position,
    Proposal,
    ProposalResponse,
    StageMove,
)
from .toolkit import questions_by_key

# Versions are PositiveIntegerFields: a base beyond that range is a forged or broken page.
MAX_VERSION = 2**31 - 1


class Conflict(Exception):
    """Someone saved the same answer since the writer's base version."""

    def __init__(self, current):
        super().__init__("conflict")
        self.current = current  # the current row (Perspective or Consensus), or None


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


def _save_answer(model, revision_model, *, identity: dict, base: int, values: dict) -> Saved:
    """Save version ``base + 1`` of the answer ``identity`` names, with its revision row.

    ``base`` 0 creates the answer; a concurrent first save loses on the unique constraint.
    Saving the text (and status) the answer has at ``base`` again writes nothing.
    """
    now = timezone.now()
    # No savepoint of its own: inside a caller's transaction this adds no queries, and a
    # failed save there raises, as it would anyway.
    with transaction.atomic(savepoint=False):
        if base == 0:
            try:
                with transaction.atomic():  # a lost race must not break a caller's transaction
                    model.objects.create(
                        **identity, **values, version=1, created_at=now, updated_at=now
                    )
                applied = True
            except IntegrityError:
                applied = False
        else:
            applied = (
                model.objects.filter(**identity, version=base)
                .exclude(**values)
                .update(**values, version=F("version") + 1, updated_at=now)
            )
        if applied:
            revision_model.objects.create(**identity, **values, version=base + 1, created_at=now)
            return Saved(version=base + 1, saved_at=now)
    current = model.objects.filter(**identity).select_related("author").first()
    if (
        current is not None
        and current.version == base
        and all(getattr(current, name) == value for name, value in values.items())
    ):
        return Saved(version=base, saved_at=current.updated_at, changed=False)
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
    # No savepoint: an autosave without a mention costs no more queries than before.
    # (A conflict is raised outside the block: raised through it, it would spoil a caller's
    # transaction, which has no savepoint to roll back to.)
    conflict = None
    with transaction.atomic(savepoint=False):
        try:
            saved = _save_answer(
                Perspective,
                PerspectiveRevision,
                identity={
                    "collaboration_id": access.collaboration.pk,
                    "question_key": question_key,
                    "partner_id": access.partner.pk,
                },
                base=base,
                values={"text": text, "author_id": access.membership.user_id},
            )
        except Conflict as exc:
            conflict = exc
        if conflict is None and saved.changed and "@" in text:
            # Whom it newly mentions is worked out in the worker (``events.py``).
            enqueue_on_commit(
                tasks.perspective_mentions_notify,
                access.collaboration.pk,
                question_key,
                access.partner.pk,
                saved.version,
            )
    if conflict is not None:
        raise conflict
    return saved


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
    identity = {"collaboration_id": access.collaboration.pk, "question_key": question_key}
    with transaction.atomic():
        saved = _save_answer(
            Consensus,
            ConsensusRevision,
            identity=identity,
            base=base,
            values={"text": text, "status": status, "author_id": access.membership.user_id},
        )
        if saved.changed:
            # Agreed by a proposal: does the text still say what the partners agreed?
            Consensus.objects.filter(**identity, agreed_by__isnull=False).update(
                changed_since_agreed=~Exists(
                    Proposal.objects.filter(pk=OuterRef("agreed_by_id"), text=text)
                )
            )
    return saved


def comment_add(*, access: Access, question_key: str, text: str) -> Comment:
    if not access.can_contribute:
        raise PermissionDenied
    check_question_key(question_key)
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError(_("Write a comment first."), code="empty")
    check_text(text, limit=COMMENT_MAX_LENGTH)
    comment = Comment.objects.create(
        collaboration=access.collaboration,
        question_key=question_key,
        author_id=access.membership.user_id,
        text=text,
    )
    # Who hears of it is worked out in the worker (``events.py``): one queued task.
    enqueue_on_commit(tasks.comment_notify, comment.pk)
    return comment


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
        move = StageMove.objects.create(
            collaboration=collaboration,
            from_stage=from_stage,
            to_stage=to_stage,
            moved_by_id=access.membership.user_id,
        )
        notify(
            kind=STAGE_MOVED,
            collaboration=collaboration,
            actor=access.membership.user,
            summary=_("%(who)s moved the collaboration to the %(stage)s stage")
            % {"who": access.membership.user.display_name, "stage": Stage(to_stage).label},
            url=reverse("worksheets:overview", args=[collaboration.slug]),
            audience=Audience.of(everyone=True),
        )
        return move


def _tool_url(collaboration: Collaboration, request: InputRequest) -> str:
    return reverse(f"{request.stage}:tool", args=[collaboration.slug, request.tool_slug])


@transaction.atomic
def input_request_create(
    *, access: Access, stage_key: str, tool_slug: str, partners, message: str, due
) -> InputRequest:
    """Ask organisations for their perspectives on a tool by a date (facilitators only),
    and tell their members."""
    if not access.is_facilitator:
        raise PermissionDenied
    collaboration = access.collaboration
    partner_ids = {p.pk for p in partners}
    if partner_ids - set(collaboration.partners.values_list("pk", flat=True)) or not partner_ids:
        raise ValidationError(_("Choose organisations of this collaboration."), code="partners")
    request = InputRequest.objects.create(
        collaboration=collaboration,
        stage=stage_key,
        tool_slug=tool_slug,
        message=message.replace("\r\n", "\n").strip(),
        due=due,
        requested_by=access.membership.user,
    )
    tool = request.tool  # an unknown stage or tool raises Http404 before anything commits
    request.partners.set(partner_ids)
    user = access.membership.user
    notify(
        kind=INPUT_REQUEST,
        collaboration=collaboration,
        actor=user,
        summary=_("%(who)s asks your organisation for its perspectives on “%(tool)s” by %(due)s")
        % {"who": user.display_name, "tool": tool.name, "due": date_format(due)},
        excerpt=request.message,
        url=_tool_url(collaboration, request),
        audience=Audience.of(partners=partner_ids),
        key=f"input-request:{request.pk}",
    )
    return request


def input_requests_remind(*, now: datetime) -> int:
    """Remind the organisations that have not answered, two days before the date and on
    the day; each reminder at most once (its event key), however often the sweep runs."""
    from .selectors import answered_partner_ids, current_answers

    today = timezone.localdate(now)
    due_soon = list(
        InputRequest.objects.filter(closed_at=None, due__gte=today, due__lte=today + timedelta(2))
        .select_related("collaboration")
        .prefetch_related("partners")
    )
    reminders = []
    for request in due_soon:
        created = timezone.localdate(request.created_at)
        if request.due == today and created < today:
            reminders.append((request, "0d"))
        elif request.due > today and created < request.due - timedelta(2):
            reminders.append((request, "2d"))
    if not reminders:
        return 0
    keys = {f"input-request:{r.pk}:{when}" for r, when in reminders}
    sent = set(Event.objects.filter(key__in=keys).values_list("key", flat=True))
    answers = current_answers({r.collaboration_id for r, _when in reminders})
    count = 0
    for request, when in reminders:
        key = f"input-request:{request.pk}:{when}"
        if key in sent:
            continue
        answered = answered_partner_ids(request, answers[request.collaboration_id])
        waiting = {p.pk for p in request.partners.all()} - answered
        if not waiting:
            continue
        summary = (
            _("Reminder: your organisation's perspectives on “%(tool)s” are wanted today")
            if when == "0d"
            else _("Reminder: your organisation's perspectives on “%(tool)s” are wanted by %(due)s")
        ) % {"tool": request.tool.name, "due": date_format(request.due)}
        with transaction.atomic():
            if notify(
                kind=INPUT_REQUEST,
                collaboration=request.collaboration,
                summary=summary,
                excerpt=request.message,
                url=_tool_url(request.collaboration, request),
                audience=Audience.of(partners=waiting),
                key=key,
            ):
                count += 1
    return count


def input_requests_close(*, now: datetime) -> int:
    """Close the requests whose date has passed and tell the facilitators who answered.
    A request is claimed by a conditional update, so two sweeps close it once."""
    from .selectors import answered_partner_ids, current_answers

    today = timezone.localdate(now)
    due = list(
        InputRequest.objects.filter(closed_at=None, due__lt=today)
        .select_related("collaboration")
        .prefetch_related("partners")
    )
    if not due:
        return 0
    answers = current_answers({r.collaboration_id for r in due})
    closed = 0
    for request in due:
        with transaction.atomic():
            if not InputRequest.objects.filter(pk=request.pk, closed_at=None).update(closed_at=now):
                continue
            answered_ids = answered_partner_ids(request, answers[request.collaboration_id])
            partners = sorted(request.partners.all(), key=lambda p: (p.name.casefold(), p.pk))
            answered = [p.name for p in partners if p.pk in answered_ids]
            waiting = [p.name for p in partners if p.pk not in answered_ids]
            lines = [
                _("Answered (%(n)s): %(names)s")
                % {"n": len(answered), "names": ", ".join(answered) or "—"},
                _("Not answered (%(n)s): %(names)s")
                % {"n": len(waiting), "names": ", ".join(waiting) or "—"},
            ]
            notify(
                kind=INPUT_REQUEST_CLOSED,
                collaboration=request.collaboration,
                summary=_(
                    "The request for perspectives on “%(tool)s” closed: "
                    "%(answered)s of %(asked)s organisations answered"
                )
                % {"tool": request.tool.name, "answered": len(answered), "asked": len(partners)},
                excerpt="\n".join(lines),
                url=reverse("dashboards:collaboration", args=[request.collaboration.slug])
                + "#requests-heading",
                audience=Audience.of(facilitators=True),
                payload={"answered": answered, "waiting": waiting},
                key=f"input-request:{request.pk}:closed",
            )
            closed += 1
    return closed


# Proposals: asking the partner organisations to agree an answer ---------------------------


def responding_partner_ids(collaboration_id: int) -> list[int]:
    """The organisations that can respond to a proposal: those with a member who may
    contribute (a partner or a facilitator speaking for it), in one query."""
    return list(
        Membership.objects.filter(
            collaboration_id=collaboration_id,
            role__in=[Role.PARTNER, Role.FACILITATOR],
            partner__isnull=False,
        )
        .values_list("partner_id", flat=True)
        .distinct()
        .order_by("partner_id")
    )


def _closing_time(closes_on: dt.date) -> datetime:
    """A proposal closing "on" a date closes at the end of that day (local time)."""
    return timezone.make_aware(dt.datetime.combine(closes_on, dt.time(23, 59)))


def default_closing_date(collaboration: Collaboration, *, rule: DecisionRule | None = None):
    rule = rule or DecisionRule.of(collaboration)
    return timezone.localdate() + dt.timedelta(days=rule.period_days)


def _question_url(collaboration: Collaboration, question_key: str, anchor: str = "proposal") -> str:
    stage, tool, _question = questions_by_key()[question_key]
    url = reverse(f"{stage.key}:tool", kwargs={"slug": collaboration.slug, "tool_slug": tool.slug})
    return f"{url}#q-{question_key.replace('.', '--')}-{anchor}"


@transaction.atomic
def proposal_open(
    *, access: Access, question_key: str, closes_on: dt.date | None = None
) -> Proposal:
    """Freeze the agreed answer's current text as a new round, open until ``closes_on``
    (by default the rule's consultation period from today). Facilitators only."""
    if not access.is_facilitator:
        raise PermissionDenied
    check_question_key(question_key)
    collaboration = access.collaboration
    consensus = Consensus.objects.filter(
        collaboration=collaboration, question_key=question_key
    ).first()
    if consensus is None or not consensus.text.strip():
        raise ValidationError(
            _("Write the agreed answer first: partners are asked to agree its text."),
            code="no_text",
        )
    rule = DecisionRule.of(collaboration)
    closes_on = closes_on or default_closing_date(collaboration, rule=rule)
    if closes_on < timezone.localdate():
        raise ValidationError(_("Choose a closing date from today on."), code="past")
    if closes_on > timezone.localdate() + dt.timedelta(days=365):
        raise ValidationError(_("Choose a closing date within a year."), code="far")
    rounds = Proposal.objects.filter(collaboration=collaboration, question_key=question_key)
    if rounds.filter(closed_at__isnull=True).exists():
        raise ValidationError(
            _("Partners are already being asked to agree this answer."), code="open"
        )
    last = rounds.order_by("-round").values_list("round", flat=True).first() or 0
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                collaboration=collaboration,
                question_key=question_key,
                round=last + 1,
                text=consensus.text,
                rule=rule.rule,
                quorum_percent=rule.quorum_percent,
                opened_by_id=access.membership.user_id,
                closes_at=_closing_time(closes_on),
            )
    except IntegrityError:  # another facilitator opened one at the same moment
        raise ValidationError(
            _("Partners are already being asked to agree this answer."), code="open"
        ) from None
    _stage, _tool, question = questions_by_key()[question_key]
    notify(
        kind=PROPOSAL_OPENED,
        collaboration=collaboration,
        actor=access.membership.user,
        summary=_("Does your organisation agree? “%(question)s”, closes %(date)s")
        % {"question": question.text, "date": date_format(closes_on, "j M Y")},
        url=_question_url(collaboration, question_key),
        audience=Audience.of(partners=responding_partner_ids(collaboration.pk)),
        excerpt=proposal.text[:300],
        key=f"proposal-opened-{proposal.pk}",
    )
    return proposal


def check_reason(position: str, reason: str) -> str:
    if position not in Position.values:
        raise ValidationError(
            _(
                "Choose your organisation's position: agree, agree with reservations, "
                "stand aside or object."
            ),
            code="position",
        )
    reason = check_text(reason, limit=REASON_MAX_LENGTH).strip()
    if position in REASON_REQUIRED and not reason:
        raise ValidationError(
            _("Give a reason: partners need to know what your reservation or objection is."),
            code="reason_required",
        )
    return reason


def response_save(
    *, access: Access, proposal_id: int, position: str, reason: str = "", partner_id=None
) -> ProposalResponse:
    """Record (or change) the member's organisation's position on an open proposal.

    One response per organisation: a second member of the same organisation replaces it
    (the later save stands, never an error: responses to one proposal queue on its row
    lock). ``partner_id``, when the form names one, must be the member's own organisation.
    Late responses are refused with the closing time. A proposal of another collaboration
    is ``Proposal.DoesNotExist``.

    The response comes back as saved, unread: the round's tally and rows reach every page
    open on it, the responder's own, through its live poll (``live.py``).
    """
    if not access.can_contribute:
        raise PermissionDenied
    partner = access.partner
    if partner is None:
        raise ValidationError(
            _("You do not speak for a partner organisation here, so you cannot respond."),
            code="no_partner",
        )
    if partner_id not in (None, "") and str(partner_id) != str(partner.pk):
        raise PermissionDenied  # only one's own organisation's response
    reason = check_reason(position, reason)
    now = timezone.now()
    values = {
        "position": position,
        "reason": reason,
        "author_id": access.membership.user_id,
        "updated_at": now,
    }
    with transaction.atomic():
        # The lock orders responses against each other and against the close: none lands
        # after the outcome, and two members of one organisation never both insert (the
        # later one's update, a new statement after the wait, finds the earlier's row).
        proposal = (
            Proposal.objects.select_for_update()
            .filter(pk=proposal_id, collaboration=access.collaboration)
            .get()
        )
        if proposal.closed_at is not None or proposal.closes_at <= now:
            closed = proposal.closed_at or proposal.closes_at
            raise ValidationError(
                _(
                    "Not recorded: this proposal closed on %(when)s, so responses are no "
                    "longer accepted."
                )
                % {"when": date_format(timezone.localtime(closed), "j M Y, H:i")},
                code="closed",
            )
        response = ProposalResponse(
            proposal=proposal, partner=partner, collaboration_id=proposal.collaboration_id, **values
        )
        changed = ProposalResponse.objects.filter(proposal=proposal, partner=partner).update(
            version=F("version") + 1, **values
        )
        if not changed:
            response.created_at = now
            response.save(force_insert=True)
    return response


def proposal_tally(proposal: Proposal, *, organisations: int | None = None) -> Tally:
    positions = (
        ProposalResponse.objects.filter(proposal=proposal)
        .order_by()
        .values_list("position", flat=True)
    )
    if organisations is None:
        organisations = len(responding_partner_ids(proposal.collaboration_id))
    return Tally.of(positions, organisations=organisations)


def _close(proposal: Proposal, *, now: datetime, closed_by=None, statement: str = "") -> Proposal:
    """Decide and close a proposal the caller holds locked and found open."""
    tally = proposal_tally(proposal)
    proposal.outcome = decide(
        rule=proposal.rule, quorum_percent=proposal.quorum_percent, tally=tally
    )
    proposal.organisations = tally.organisations
    proposal.closed_at = now
    proposal.closed_by = closed_by
    proposal.outcome_statement = statement
    proposal.save(
        update_fields=["outcome", "organisations", "closed_at", "closed_by", "outcome_statement"]
    )
    collaboration = proposal.collaboration
    if proposal.outcome == Outcome.PASSED:
        consensus = (
            Consensus.objects.select_for_update()
            .filter(collaboration=collaboration, question_key=proposal.question_key)
            .first()
        )
        if consensus is not None:
            consensus.status = Consensus.Status.AGREED
            consensus.agreed_by = proposal
            consensus.changed_since_agreed = consensus.text != proposal.text
            consensus.version += 1
            consensus.updated_at = now
            consensus.save(
                update_fields=[
                    "status",
                    "agreed_by",
                    "changed_since_agreed",
                    "version",
                    "updated_at",
                ]
            )
            ConsensusRevision.objects.create(
                collaboration=collaboration,
                question_key=proposal.question_key,
                version=consensus.version,
                text=consensus.text,
                status=consensus.status,
                author=consensus.author,
                created_at=now,
            )
    _stage, _tool, question = questions_by_key()[proposal.question_key]
    notify(
        kind=PROPOSAL_OUTCOME,
        collaboration=collaboration,
        actor=closed_by,
        summary=_("Round %(round)d on “%(question)s”: %(outcome)s")
        % {
            "round": proposal.round,
            "question": question.text,
            "outcome": proposal.get_outcome_display().lower(),
        },
        url=_question_url(collaboration, proposal.question_key),
        audience=Audience.of(everyone=True),
        excerpt=statement[:300],
        key=f"proposal-outcome-{proposal.pk}",
    )
    return proposal


def proposal_close(*, access: Access, proposal: Proposal, statement: str = "") -> Proposal:
    """Close a proposal before its date, with the facilitator's outcome statement."""
    if not access.is_facilitator:
        raise PermissionDenied
    statement = check_text(statement, limit=REASON_MAX_LENGTH).strip()
    with transaction.atomic():
        locked = (
            Proposal.objects.select_for_update()
            .select_related("collaboration")
            .filter(pk=proposal.pk, collaboration=access.collaboration)
            .first()
        )
        if locked is None:
            raise PermissionDenied
        if locked.closed_at is not None:
            raise ValidationError(_("This proposal is already closed."), code="closed")
        return _close(
            locked, now=timezone.now(), closed_by=access.membership.user, statement=statement
        )


def proposal_names_show(*, access: Access, proposal: Proposal, reveal: bool) -> Proposal:
    """Reveal (or hide again) the organisations' names and reasons in the presenter
    view's tally of an open proposal (facilitators)."""
    if not access.is_facilitator:
        raise PermissionDenied
    revealed_at = timezone.now() if reveal else None
    Proposal.objects.filter(pk=proposal.pk, collaboration=access.collaboration).update(
        names_revealed_at=revealed_at
    )
    proposal.names_revealed_at = revealed_at
    return proposal


REMIND_BEFORE = dt.timedelta(hours=24)


def proposals_sweep(now: datetime) -> int:
    """The periodic job: close the proposals whose date has passed, and remind the
    organisations that have not responded to those closing within a day. Safe to run
    twice at once: a proposal is closed by whoever locks it first (the other skips it),
    and a reminder is claimed with a conditional update (and its event key)."""
    done = 0
    due = Proposal.objects.filter(closed_at__isnull=True, closes_at__lte=now)
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            proposal = (
                Proposal.objects.select_for_update(skip_locked=True)
                .select_related("collaboration")
                .filter(pk=pk, closed_at__isnull=True)
                .first()
            )
            if proposal is not None:
                _close(proposal, now=now)
                done += 1
    closing = Proposal.objects.filter(
        closed_at__isnull=True,
        reminded_at__isnull=True,
        closes_at__gt=now,
        closes_at__lte=now + REMIND_BEFORE,
    ).select_related("collaboration")
    for proposal in closing:
        with transaction.atomic():
            claimed = Proposal.objects.filter(pk=proposal.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed:
                continue
            answered = set(
                ProposalResponse.objects.filter(proposal=proposal)
                .order_by()
                .values_list("partner_id", flat=True)
            )
            waiting = [
                pk for pk in responding_partner_ids(proposal.collaboration_id) if pk not in answered
            ]
            if not waiting:
                continue
            _stage, _tool, question = questions_by_key()[proposal.question_key]
            notify(
                kind=PROPOSAL_REMINDER,
                collaboration=proposal.collaboration,
                summary=_("Your organisation has not responded yet: “%(question)s” closes %(when)s")
                % {
                    "question": question.text,
                    "when": date_format(timezone.localtime(proposal.closes_at), "j M, H:i"),
                },
                url=_question_url(proposal.collaboration, proposal.question_key),
                audience=Audience.of(partners=waiting),
                excerpt=proposal.text[:300],
                key=f"proposal-reminder-{proposal.pk}",
            )
            done += 1
    return done
