from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from intersector.worksheets.selectors import stage_progress
from intersector.worksheets.toolkit import stages

from . import services
from .access import Need, get_collaboration_for_user
from .forms import CollaborationForm, MemberAddForm, MembershipRoleForm, PartnerForm
from .models import Membership, Partner, Role, Sector


def _form_errors_to(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                form.add_error(field, e)
    else:
        form.add_error(None, error)


@login_required
@require_safe
def home(request):
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("collaboration", "partner")
        .annotate(partner_count=Count("collaboration__partners", distinct=True))
        .order_by("collaboration__title")
    )
    return render(request, "collaborations/home.html", {"memberships": memberships})


@login_required
@require_http_methods(["GET", "POST"])
def collaboration_create(request):
    form = CollaborationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        collaboration = services.collaboration_create(user=request.user, **form.cleaned_data)
        messages.success(request, _("Collaboration created. Next: add the partner organisations."))
        return redirect(collaboration)
    return render(request, "collaborations/create.html", {"form": form})


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
    progress = stage_progress(access)
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
        },
    )


def _partners_context(access, form=None):
    return {
        "access": access,
        "collaboration": access.collaboration,
        "partners": access.collaboration.partners.all(),
        "form": form or PartnerForm(collaboration=access.collaboration),
    }


@login_required
@require_http_methods(["GET", "POST"])
def partners(request, slug: str):
    access = get_collaboration_for_user(
        request, slug, need=Need.MANAGE if request.method == "POST" else Need.READ
    )
    form = None
    if request.method == "POST":
        form = PartnerForm(request.POST, collaboration=access.collaboration)
        if form.is_valid():
            partner = form.save()
            messages.success(request, _("%(name)s added.") % {"name": partner.name})
            if not request.htmx:
                return redirect("collaborations:partners", slug=slug)
            form = None
    template = "collaborations/partners.html"
    if request.htmx:
        template += "#partners-region"
    status = 422 if form is not None and not request.htmx else 200
    return TemplateResponse(request, template, _partners_context(access, form), status=status)


@login_required
@require_safe
def partner_row(request, slug: str, pk: int):
    access = get_collaboration_for_user(request, slug)
    partner = get_object_or_404(Partner, pk=pk, collaboration=access.collaboration)
    if not request.htmx:
        return redirect("collaborations:partners", slug=slug)
    return render(
        request,
        "collaborations/partners.html#partner-row",
        {"access": access, "collaboration": access.collaboration, "partner": partner},
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request, slug: str, pk: int):
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    partner = get_object_or_404(Partner, pk=pk, collaboration=access.collaboration)
    form = PartnerForm(request.POST or None, instance=partner, collaboration=access.collaboration)
    context = {"access": access, "collaboration": access.collaboration, "partner": partner}
    if request.method == "POST" and form.is_valid():
        form.save()
        if request.htmx:
            return render(request, "collaborations/partners.html#partner-row", context)
        messages.success(request, _("%(name)s saved.") % {"name": partner.name})
        return redirect("collaborations:partners", slug=slug)
    context["form"] = form
    if request.htmx:
        return render(request, "collaborations/partners.html#partner-edit-row", context)
    status = 422 if form.is_bound else 200
    return render(request, "collaborations/partner_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def partner_delete(request, slug: str, pk: int):
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    partner = get_object_or_404(Partner, pk=pk, collaboration=access.collaboration)
    error = None
    if request.method == "POST":
        try:
            services.partner_delete(partner=partner)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("%(name)s removed.") % {"name": partner.name})
            url = reverse("collaborations:partners", kwargs={"slug": slug})
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    return render(
        request,
        "collaborations/confirm_delete.html",
        {
            "access": access,
            "collaboration": access.collaboration,
            "title": _("Remove %(name)s?") % {"name": partner.name},
            "explanation": _(
                "The organisation leaves this collaboration. People who speak for it stay "
                "members without an organisation."
            ),
            "error": error,
            "cancel_url": reverse("collaborations:partners", kwargs={"slug": slug}),
        },
        status=409 if error else 200,
    )


def members_page(request, access, *, add_form=None, invite_form=None, status=200):
    """The members page; the invitation views render it too, with their form's errors."""
    from intersector.invitations.forms import InvitationForm

    collaboration = access.collaboration
    context = {
        "access": access,
        "collaboration": collaboration,
        "memberships": collaboration.memberships.select_related("user", "partner").order_by(
            "role", "user__email"
        ),
        "partners": collaboration.partners.all(),
        "roles": Role.choices,
    }
    if access.is_facilitator:
        context["add_form"] = add_form or MemberAddForm(collaboration=collaboration)
        context["invite_form"] = invite_form or InvitationForm(collaboration=collaboration)
        context["invitations"] = collaboration.invitations.pending().select_related(
            "partner", "invited_by"
        )
    return render(request, "collaborations/members.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def members(request, slug: str):
    access = get_collaboration_for_user(
        request, slug, need=Need.MANAGE if request.method == "POST" else Need.READ
    )
    add_form = None
    if request.method == "POST":
        add_form = MemberAddForm(request.POST, collaboration=access.collaboration)
        if add_form.is_valid():
            try:
                membership = services.membership_add(
                    collaboration=access.collaboration, by=request.user, **add_form.cleaned_data
                )
            except ValidationError as exc:
                _form_errors_to(add_form, exc)
            else:
                messages.success(
                    request, _("%(who)s added.") % {"who": membership.user.display_name}
                )
                return redirect("collaborations:members", slug=slug)
    status = 422 if add_form is not None else 200
    return members_page(request, access, add_form=add_form, status=status)


@login_required
@require_POST
def member_change(request, slug: str, pk: int):
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    membership = get_object_or_404(Membership, pk=pk, collaboration=access.collaboration)
    form = MembershipRoleForm(request.POST, instance=membership, collaboration=access.collaboration)
    if form.is_valid():
        try:
            services.membership_change(membership=membership, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(who)s is now %(role)s.")
                % {"who": membership.user.display_name, "role": membership.get_role_display()},
            )
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("collaborations:members", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request, slug: str, pk: int):
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=pk, collaboration=access.collaboration
    )
    error = None
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership, by=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("%(who)s removed.") % {"who": membership.user.display_name})
            return redirect("collaborations:members", slug=slug)
    return render(
        request,
        "collaborations/confirm_delete.html",
        {
            "access": access,
            "collaboration": access.collaboration,
            "title": _("Remove %(who)s?") % {"who": membership.user.display_name},
            "explanation": _(
                "They lose access to this collaboration. What they wrote stays, with their name."
            ),
            "error": error,
            "cancel_url": reverse("collaborations:members", kwargs={"slug": slug}),
        },
        status=409 if error else 200,
    )
