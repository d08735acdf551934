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

from . import services
from .access import Need, get_collaboration_for_user
from .forms import CollaborationForm, MembershipRoleForm, PartnerForm
from .models import Membership, Partner


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
    return redirect("invitations:members", slug=slug)


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
            return redirect("invitations:members", slug=slug)
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
            "cancel_url": reverse("invitations:members", kwargs={"slug": slug}),
        },
        status=409 if error else 200,
    )
