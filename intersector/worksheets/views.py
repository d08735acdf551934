from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import reswap, retarget

from intersector.collaborations.access import Need, get_collaboration_for_user
from intersector.collaborations.models import Sector
from intersector.collaborations.services import overview_visit

from . import live, mentions, selectors, services
from .forms import InputRequestForm
from .inline import artefact_context
from .models import (
    COMMENT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Consensus,
    DecisionRule,
    Position,
    Proposal,
)
from .qr import join_qr_svg
from .toolkit import get_stage, questions_by_key, stages


@login_required
@require_safe
def overview(request, slug: str):
    access = get_collaboration_for_user(request, slug)
    collaboration = access.collaboration
    sector_counts = [
        {"sector": row["sector"], "label": Sector(row["sector"]).label, "n": row["n"]}
        for row in collaboration.partners.values("sector")
        .annotate(n=Count("id"))
        .order_by("sector")
    ]
    current = collaboration.stage.index
    answers = selectors.current_answers([collaboration.pk])[collaboration.pk]
    progress = selectors.progress_from(answers)
    last_visit = overview_visit(membership=access.membership)
    steps = [
        {
            "stage": stage,
            "state": "done" if i < current else "current" if i == current else "todo",
            "progress": progress[stage.key],
        }
        for i, stage in enumerate(stages())
    ]
    stage_move = {
        "back": stages()[current - 1] if current > 0 else None,
        "forward": stages()[current + 1] if current + 1 < len(stages()) else None,
    }
    return render(
        request,
        "collaborations/overview.html",
        {
            "access": access,
            "collaboration": collaboration,
            "steps": steps,
            "stage_move": stage_move,
            "sector_counts": sector_counts,
            "member_count": collaboration.memberships.count(),
            "last_visit": last_visit,
            "new_since": selectors.new_since(access, last_visit),
            "waiting": selectors.waiting_for_partner(access, answers),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_safe
def stage_page(request: HttpRequest, slug: str, stage_key: str) -> HttpResponse:
    access = get_collaboration_for_user(request, slug)
    stage = get_stage(stage_key)
    progress = selectors.stage_progress(access)[stage.key]
    collaboration = access.collaboration
    proposals = selectors.open_proposals([collaboration.pk])[collaboration.pk]
    return render(
        request,
        "worksheets/stage.html",
        {
            "access": access,
            "collaboration": collaboration,
            "stage": stage,
            "progress": progress,
            "open_proposals": [p for p in proposals.proposals if p.stage.key == stage.key],
            "proposals_waiting": proposals.waiting,
        },
    )


def _tool_context(access, stage, tool, *, question_views=None):
    artefacts = [
        {"artefact": artefact, "context": artefact_context(access, artefact)}
        for artefact in tool.artefacts
    ]
    return {
        "access": access,
        "collaboration": access.collaboration,
        "stage": stage,
        "tool": tool,
        "artefacts": artefacts,
        "question_views": question_views or selectors.tool_questions(access, tool),
        "text_max_length": TEXT_MAX_LENGTH,
        "comment_max_length": COMMENT_MAX_LENGTH,
        "mention_names_url": reverse("worksheets:mention-names", args=[access.collaboration.slug]),
        "consensus_statuses": Consensus.Status.choices,
        **_proposal_context(access),
    }


def _proposal_context(access) -> dict:
    context = {"positions": Position.choices, "reason_max_length": REASON_MAX_LENGTH}
    if access.is_facilitator:  # only they open proposals, which default to the rule
        rule = DecisionRule.of(access.collaboration)
        context["decision_rule"] = rule
        context["default_closes_on"] = services.default_closing_date(
            access.collaboration, rule=rule
        )
    return context


@login_required
@require_safe
def tool_page(request: HttpRequest, slug: str, stage_key: str, tool_slug: str) -> HttpResponse:
    access = get_collaboration_for_user(request, slug)
    stage = get_stage(stage_key)
    tool = stage.tool(tool_slug)
    if request.htmx and "live" in request.GET:
        return _tool_live(request, access, tool, request.GET["live"])
    return render(request, "worksheets/tool.html", _tool_context(access, stage, tool))


# Which part of the live version each region of a poll's answer shows.
_TOOL_REGIONS = {
    "others": ("live_perspective_saves",),
    "comments": ("live_comments",),
    # A round opened or closed changes what the agreed answer's region holds (a partner's
    # response form, the consent record).
    "agreed": ("live_agreed_saves", "live_rounds"),
    # A response moves only the open round's tally and lists, redrawn apart from the
    # facilitator's editor and the partner's response form.
    "round": live.CONSENT_PARTS,
}


def _tool_live(request, access, tool, question_key: str) -> HttpResponse:
    """One question's poll: 304 when nothing changed, else only the regions that changed
    since the poll's last answer (the ETag it sends back names what it has)."""
    if question_key not in {q.key for q in tool.questions}:
        raise Http404
    state = live.live_state(access, [question_key], view="tool", request=request)
    response = live.not_modified(request, state.etag)
    if response is None:
        parts = frozenset(r for r, names in _TOOL_REGIONS.items() if state.changed(*names))
        context = {
            "access": access,
            "collaboration": access.collaboration,
            "question_views": selectors.tool_questions(
                access,
                tool,
                only=question_key,
                parts=parts,
                # A facilitator's agreed answer region is the notice beside their editor.
                with_proposals="round" in parts or not access.is_facilitator,
            ),
            "parts": parts,
            "consensus_statuses": Consensus.Status.choices,
            "text_max_length": TEXT_MAX_LENGTH,
            "live": True,
            "positions": Position.choices,
            "reason_max_length": REASON_MAX_LENGTH,
        }
        response = render(request, "worksheets/_tool_live.html", context)
    return live.mark_live(response, state.etag)


@login_required
@require_safe
def question_present(request: HttpRequest, slug: str, question_key: str) -> HttpResponse:
    """The presenter view of one question (facilitators): every organisation's perspective
    as it is written, by sector, beside the agreed answer's editor. It polls itself with
    ?live=1 like the tool page."""
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    if question_key not in questions_by_key():
        raise Http404
    stage, tool, question = questions_by_key()[question_key]
    if request.htmx and "live" in request.GET:
        state = live.live_state(access, [question_key], view="present", request=request)
        response = live.not_modified(request, state.etag)
        if response is None:
            context = {
                "access": access,
                "collaboration": access.collaboration,
                "board": state.changed("live_perspective_saves"),
            }
            if context["board"]:
                context["groups"] = selectors.presenter_board(access, question_key)
            if state.changed("live_agreed_saves"):
                context["view"] = selectors.presenter_question(
                    access, question, with_proposals=False
                )
            if state.changed(*live.CONSENT_PARTS):
                context["tally_round"] = selectors.open_round(access, question_key)
                context["tally"] = True
            response = render(request, "worksheets/_present_live.html", context)
        return live.mark_live(response, state.etag)
    keys = [q.key for q in tool.questions]
    place = keys.index(question_key)
    view = selectors.presenter_question(access, question)
    join_url = request.build_absolute_uri(
        reverse("worksheets:question-join", args=[access.collaboration.slug, question_key])
    )
    context = {
        "access": access,
        "collaboration": access.collaboration,
        "stage": stage,
        "tool": tool,
        "question": question,
        "number": place + 1,
        "total": len(keys),
        "previous_key": keys[place - 1] if place > 0 else None,
        "next_key": keys[place + 1] if place + 1 < len(keys) else None,
        "tool_url": _tool_url(access.collaboration, question_key),
        "groups": selectors.presenter_board(access, question_key),
        "view": view,
        "tally_round": view.open_proposal,
        "presenting": True,
        "join_url": join_url,
        "join_qr": join_qr_svg(join_url),
        "timer_minutes": (1, 2, 5, 10),
        "consensus_statuses": Consensus.Status.choices,
        "text_max_length": TEXT_MAX_LENGTH,
        **_proposal_context(access),
    }
    return render(request, "worksheets/present.html", context)


@login_required
@require_safe
def question_join(request: HttpRequest, slug: str, question_key: str) -> HttpResponse:
    """The short link the presenter view shows: a member's way to the question on their own
    device (signing in first if needed)."""
    access = get_collaboration_for_user(request, slug)
    if question_key not in questions_by_key():
        raise Http404
    return redirect(_tool_url(access.collaboration, question_key))


@login_required
@require_safe
def question_history(request: HttpRequest, slug: str, question_key: str) -> HttpResponse:
    """One question's revision history: the body of the tool page's "Revision history"
    disclosure (htmx loads it when the disclosure first opens), or a page of its own."""
    access = get_collaboration_for_user(request, slug)
    if question_key not in questions_by_key():
        raise Http404
    stage, tool, question = questions_by_key()[question_key]
    context = {
        "access": access,
        "collaboration": access.collaboration,
        "stage": stage,
        "tool": tool,
        "question": question,
        "tool_url": _tool_url(access.collaboration, question_key),
        "history": selectors.question_history(access.collaboration, question_key),
    }
    template = "worksheets/history.html#history" if request.htmx else "worksheets/history.html"
    return render(request, template, context)


@login_required
@require_safe
def question_perspectives(request: HttpRequest, slug: str, question_key: str) -> HttpResponse:
    """Every other partner's perspective on one question: the tool page's "Show N more
    perspectives" disclosure loads those after the first few (htmx), or a page of its own."""
    access = get_collaboration_for_user(request, slug)
    if question_key not in questions_by_key():
        raise Http404
    stage, tool, question = questions_by_key()[question_key]
    perspectives = selectors.question_perspectives(access, question_key)
    if request.htmx:
        more = perspectives[selectors.OTHERS_SHOWN :]
        return render(request, "worksheets/tool.html#perspectives-more", {"more": more})
    context = {
        "access": access,
        "collaboration": access.collaboration,
        "stage": stage,
        "tool": tool,
        "question": question,
        "tool_url": _tool_url(access.collaboration, question_key),
        "perspectives": perspectives,
    }
    return render(request, "worksheets/perspectives.html", context)


def _tool_url(collaboration, question_key: str) -> str:
    return selectors.question_url(collaboration, question_key)


def _unknown_question(request, access, text: str) -> HttpResponse:
    return render(
        request,
        "worksheets/unknown_question.html",
        {"access": access, "collaboration": access.collaboration, "text": text},
        status=422,
    )


def _question_view(request, access, question_key, status, **changes):
    """Answer a save that was not applied: the question again, with the writer's own text.

    htmx gets the field's partial; without JavaScript the whole tool page is rendered, so
    nothing the person typed is lost either way.
    """
    stage, tool, _question = questions_by_key()[question_key]
    views = selectors.tool_questions(access, tool)
    for view in views:
        if view.question.key == question_key:
            for name, value in changes.items():
                setattr(view, name, value)
            target = view
    context = _tool_context(access, stage, tool, question_views=views)
    # A form of the presenter view says so: its answer keeps the presenter's shape there.
    context["presenting"] = request.POST.get("presenting") == "1"
    return context, target


@login_required
@require_POST
def perspective_save(request: HttpRequest, slug: str, question_key: str) -> HttpResponse:
    access = get_collaboration_for_user(request, slug, need=Need.CONTRIBUTE)
    text = request.POST.get("text", "")
    if question_key not in questions_by_key():
        return _unknown_question(request, access, text)
    qid = selectors.dom_id(question_key)
    try:
        saved = services.perspective_save(
            access=access,
            question_key=question_key,
            text=text,
            base_version=request.POST.get("base_version"),
        )
    except ValidationError as exc:
        error, conflict, status, version = (
            exc.messages[0],
            None,
            422,
            request.POST.get("base_version", 0),
        )
    except services.Conflict as exc:
        error, conflict, status = None, exc.current, 409
        version = exc.current.version if exc.current else 0
    else:
        if not request.htmx:
            messages.success(request, _("Your perspective is saved."))
            return redirect(_tool_url(access.collaboration, question_key))
        return render(
            request,
            "worksheets/tool.html#perspective-status",
            {"qid": qid, "version": saved.version, "saved_at": saved.saved_at},
        )
    draft = {"text": text, "version": version, "error": error, "conflict": conflict}
    if request.htmx:
        return render(
            request,
            "worksheets/tool.html#perspective-status",
            {"qid": qid, "version": version, "error": error, "conflict": conflict},
            status=status,
        )
    context, _view = _question_view(request, access, question_key, status, draft=draft)
    return render(request, "worksheets/tool.html", context, status=status)


@login_required
@require_POST
def consensus_save(request: HttpRequest, slug: str, question_key: str) -> HttpResponse:
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    text = request.POST.get("text", "")
    if question_key not in questions_by_key():
        return _unknown_question(request, access, text)
    status_value = request.POST.get("status", "")
    try:
        services.consensus_save(
            access=access,
            question_key=question_key,
            text=text,
            status=status_value,
            base_version=request.POST.get("base_version"),
        )
    except ValidationError as exc:
        draft = {"text": text, "status": status_value, "error": exc.messages[0]}
        draft["version"] = request.POST.get("base_version", 0)
        http_status = 422
    except services.Conflict as exc:
        draft = {"text": text, "status": status_value, "conflict": exc.current}
        draft["version"] = exc.current.version if exc.current else 0
        http_status = 409
    else:
        if not request.htmx:
            messages.success(request, _("The agreed answer is saved."))
            return redirect(_tool_url(access.collaboration, question_key))
        draft, http_status = None, 200
    context, view = _question_view(
        request,
        access,
        question_key,
        http_status,
        consensus_draft=draft,
        consensus_saved=draft is None,
    )
    if request.htmx:
        context.update(view=view)
        return render(request, "worksheets/tool.html#consensus", context, status=http_status)
    return render(request, "worksheets/tool.html", context, status=http_status)


@login_required
@require_POST
def comment_add(request: HttpRequest, slug: str, question_key: str) -> HttpResponse:
    access = get_collaboration_for_user(request, slug, need=Need.CONTRIBUTE)
    text = request.POST.get("text", "")
    if question_key not in questions_by_key():
        return _unknown_question(request, access, text)
    error = None
    try:
        services.comment_add(access=access, question_key=question_key, text=text)
    except ValidationError as exc:
        error = exc.messages[0]
    else:
        if not request.htmx:
            messages.success(request, _("Comment added."))
            return redirect(_tool_url(access.collaboration, question_key))
    status = 422 if error else 200
    comment_draft = {"text": text, "error": error} if error else None
    context, view = _question_view(
        request, access, question_key, status, comment_draft=comment_draft
    )
    context.update(view=view)
    template = "worksheets/tool.html#comments" if request.htmx else "worksheets/tool.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
def stage_move(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    try:
        move = services.stage_move(
            access=access,
            to_stage=request.POST.get("to_stage", ""),
            from_stage=request.POST.get("from_stage") or None,
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("The collaboration is now in the %(stage)s stage.")
            % {"stage": move.get_to_stage_display()},
        )
    return redirect("worksheets:overview", slug=slug)


@login_required
def input_request_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask organisations for their perspectives on a tool by a date (facilitators)."""
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    collaboration = access.collaboration
    if request.method == "POST":
        form = InputRequestForm(request.POST, collaboration=collaboration)
        if form.is_valid():
            stage_key, tool_slug = form.stage_and_tool
            partners = (
                list(collaboration.partners.all())
                if form.cleaned_data["everyone"]
                else form.cleaned_data["partners"]
            )
            created = services.input_request_create(
                access=access,
                stage_key=stage_key,
                tool_slug=tool_slug,
                partners=partners,
                message=form.cleaned_data["message"],
                due=form.cleaned_data["due"],
            )
            messages.success(
                request,
                _("Your request for perspectives on “%(tool)s” is sent.")
                % {"tool": created.tool.name},
            )
            return redirect(
                reverse("dashboards:collaboration", args=[collaboration.slug]) + "#requests-heading"
            )
        status = 422
    else:
        form = InputRequestForm(
            initial={"tool": request.GET.get("tool", "")}, collaboration=collaboration
        )
        status = 200
    return render(
        request,
        "worksheets/input_request_form.html",
        {"access": access, "collaboration": collaboration, "form": form},
        status=status,
    )


# Proposals ---------------------------------------------------------------------------------


def _proposal_of(access, pk: int) -> Proposal:
    return get_object_or_404(Proposal, pk=pk, collaboration=access.collaboration)


def _agreed_section(request, access, question_key: str, status: int, draft=None):
    """The agreed answer's section with its proposal again (htmx), or the tool page."""
    context, view = _question_view(request, access, question_key, status, proposal_draft=draft)
    if request.htmx:
        context.update(view=view)
        return render(request, "worksheets/tool.html#consensus", context, status=status)
    return render(request, "worksheets/tool.html", context, status=status)


def _proposal_url(collaboration, question_key: str) -> str:
    return _tool_url(collaboration, question_key) + "-proposal"


@login_required
@require_POST
def proposal_open(request: HttpRequest, slug: str, question_key: str) -> HttpResponse:
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    if question_key not in questions_by_key():
        return _unknown_question(request, access, "")
    raw = request.POST.get("closes_on", "").strip()
    try:
        closes_on = parse_date(raw) if raw else None
    except ValueError:
        closes_on = None
    try:
        if raw and closes_on is None:
            raise ValidationError(_("Give the closing date as a date, e.g. 2026-12-31."))
        services.proposal_open(access=access, question_key=question_key, closes_on=closes_on)
    except ValidationError as exc:
        draft = {"open_error": exc.messages[0], "closes_on": raw[:10]}
        return _agreed_section(request, access, question_key, 422, draft)
    if not request.htmx:
        messages.success(request, _("The partners are asked to agree the text."))
        return redirect(_proposal_url(access.collaboration, question_key))
    return _agreed_section(request, access, question_key, 200)


@login_required
@require_POST
def proposal_respond(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_collaboration_for_user(request, slug, need=Need.CONTRIBUTE)
    position = request.POST.get("position", "")
    reason = request.POST.get("reason", "")
    try:
        response = services.response_save(
            access=access,
            proposal_id=pk,
            position=position,
            reason=reason,
            partner_id=request.POST.get("partner"),
        )
    except Proposal.DoesNotExist:
        raise Http404 from None
    except ValidationError as exc:
        draft = {"error": exc.messages[0], "position": position, "reason": reason}
        status, question_key = 422, _proposal_of(access, pk).question_key
    else:
        question_key = response.proposal.question_key
        if not request.htmx:
            messages.success(request, _("Your organisation's response is recorded."))
            return redirect(_proposal_url(access.collaboration, question_key))
        draft, status = {"saved": True}, 200
    if not request.htmx:
        return _agreed_section(request, access, question_key, status, draft)
    stage, tool, question = questions_by_key()[question_key]
    view = selectors.QuestionView(
        question=question, dom_id=selectors.dom_id(question.key), proposal_draft=draft
    )
    context = {"access": access, "collaboration": access.collaboration, "view": view}
    if status == 200:
        # Acknowledged as an autosave is, and as fast: the form stays as they filled it in;
        # out of band its status, note and button. The tally and their row come with the
        # page's next poll, as everyone else's responses do.
        response.author = request.user
        view.proposals = [
            selectors.ProposalView(
                proposal=response.proposal,
                responses=[],
                organisations=[],
                mine=response,
                can_respond=True,
            )
        ]
        return reswap(render(request, "worksheets/_response_saved.html", context), "none")
    context.update(_proposal_context(access))
    view.proposals = selectors.question_proposals(access, [question.key], open_only=True).get(
        question.key, []
    )
    if view.open_proposal and view.open_proposal.can_respond:
        return render(request, "worksheets/tool.html#proposal-respond", context, status=status)
    # Closed meanwhile: the proposal's region again, without the form.
    return retarget(
        render(request, "worksheets/tool.html#proposal", context, status=status),
        f"#{view.dom_id}-proposal",
    )


@login_required
@require_POST
def proposal_close(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    proposal = _proposal_of(access, pk)
    statement = request.POST.get("statement", "")
    try:
        closed = services.proposal_close(access=access, proposal=proposal, statement=statement)
    except ValidationError as exc:
        draft = {"close_error": exc.messages[0], "statement": statement}
        return _agreed_section(request, access, proposal.question_key, 422, draft)
    if not request.htmx:
        messages.success(
            request,
            _("The proposal is closed: %(outcome)s.")
            % {"outcome": closed.get_outcome_display().lower()},
        )
        return redirect(_proposal_url(access.collaboration, proposal.question_key))
    return _agreed_section(request, access, proposal.question_key, 200)


@login_required
@require_POST
def proposal_names(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Reveal (``names=reveal``) or hide again the organisations' names and reasons in the
    presenter view's tally; back to the presenter view (htmx: the tally again)."""
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    proposal = _proposal_of(access, pk)
    services.proposal_names_show(
        access=access, proposal=proposal, reveal=request.POST.get("names") == "reveal"
    )
    if not request.htmx:
        return redirect(
            "worksheets:question-present",
            slug=access.collaboration.slug,
            question_key=proposal.question_key,
        )
    context = {
        "access": access,
        "collaboration": access.collaboration,
        "tally_round": selectors.open_round(access, proposal.question_key),
    }
    return render(request, "worksheets/_present_tally.html", context)


@login_required
@require_safe
def mention_names(request: HttpRequest, slug: str) -> JsonResponse:
    """The names ``@`` completes in comments and perspectives: the collaboration's members
    and organisations (asked for once per page, at the first ``@`` typed)."""
    access = get_collaboration_for_user(request, slug)
    kinds = {"person": _("person"), "organisation": _("organisation")}
    names = [
        {"name": name.name, "kind": name.kind, "kind_label": kinds[name.kind], "hint": name.hint}
        for name in mentions.mentionable(access.collaboration.pk)
    ]
    response = JsonResponse({"names": names})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def proposal_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One round of a proposal on a page of its own: its consent record."""
    access = get_collaboration_for_user(request, slug)
    proposal = _proposal_of(access, pk)
    stage, tool, question = questions_by_key()[proposal.question_key]
    return render(
        request,
        "worksheets/proposal.html",
        {
            "access": access,
            "collaboration": access.collaboration,
            "stage": stage,
            "tool": tool,
            "question": question,
            "tool_url": _tool_url(access.collaboration, proposal.question_key),
            "round": selectors.proposal_view(access, proposal),
        },
    )
