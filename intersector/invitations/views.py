from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from intersector.collaborations import services as collaboration_services
from intersector.collaborations.access import Need, get_collaboration_for_user
from intersector.collaborations.forms import MemberAddForm
from intersector.collaborations.models import Role

from . import services
from .forms import AccountFromInvitationForm, InvitationForm
from .models import Invitation

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _form_errors_to(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                form.add_error(field, e)
    else:
        form.add_error(None, error)


def members_page(request, access, *, add_form=None, invite_form=None, status=200):
    """The members page; the invitation views render it too, with their form's errors."""
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
                membership = collaboration_services.membership_add(
                    collaboration=access.collaboration, by=request.user, **add_form.cleaned_data
                )
            except ValidationError as exc:
                _form_errors_to(add_form, exc)
            else:
                messages.success(
                    request, _("%(who)s added.") % {"who": membership.user.display_name}
                )
                return redirect("invitations:members", slug=slug)
    status = 422 if add_form is not None else 200
    return members_page(request, access, add_form=add_form, status=status)


def _site_url(request) -> str:
    return request.build_absolute_uri("/")


@login_required
@require_POST
def invitation_create(request, slug: str):
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    form = InvitationForm(request.POST, collaboration=access.collaboration)
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                collaboration=access.collaboration,
                by=request.user,
                site_url=_site_url(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                for error in errors:
                    form.add_error(field, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("invitations:members", slug=slug)
    return members_page(request, access, invite_form=form, status=422)


def _pending_invitation(access, pk: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.pending(), pk=pk, collaboration=access.collaboration
    )


@login_required
@require_POST
def invitation_resend(request, slug: str, pk: int):
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    invitation = _pending_invitation(access, pk)
    services.invitation_resend(invitation=invitation, by=request.user, site_url=_site_url(request))
    messages.success(request, _("A new link was sent to %(email)s.") % {"email": invitation.email})
    return redirect("invitations:members", slug=slug)


@login_required
@require_POST
def invitation_revoke(request, slug: str, pk: int):
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    invitation = _pending_invitation(access, pk)
    services.invitation_revoke(invitation=invitation, by=request.user)
    messages.success(
        request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email}
    )
    return redirect("invitations:members", slug=slug)


@login_required
@require_safe
def audit_log(request, slug: str):
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    events = access.collaboration.audit_events.all()[:500]
    return render(
        request,
        "invitations/audit_log.html",
        {"access": access, "collaboration": access.collaboration, "events": events},
    )


@require_http_methods(["GET", "POST"])
def accept(request, token: str):
    """The link from the e-mail. Open to everyone: the signed token is the credential."""
    lookup = services.invitation_lookup(token)
    if lookup.problem:
        return render(
            request,
            "invitations/invalid.html",
            {"problem": lookup.problem},
            status=404 if lookup.problem == "invalid" else 410,
        )
    invitation = lookup.invitation
    context = {"invitation": invitation, "collaboration": invitation.collaboration}

    if request.user.is_authenticated:
        if request.user.email.lower() != invitation.email.lower():
            return render(request, "invitations/wrong_account.html", context, status=403)
        if request.method == "POST":
            services.invitation_accept(invitation=invitation, user=request.user)
            return _welcome(request, invitation)
        return render(request, "invitations/accept.html", {**context, "mode": "join"})

    if get_user_model().objects.filter(email__iexact=invitation.email).exists():
        sign_in = reverse("login") + "?" + urlencode({"next": request.path})
        return render(
            request, "invitations/accept.html", {**context, "mode": "sign-in", "sign_in": sign_in}
        )

    data = request.POST if request.method == "POST" else None
    form = AccountFromInvitationForm(data, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.account_create_from_invitation(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, user, backend=MODEL_BACKEND)
            return _welcome(request, invitation)
    return render(
        request,
        "invitations/accept.html",
        {**context, "mode": "create", "form": form},
        status=422 if form.is_bound else 200,
    )


def _welcome(request, invitation):
    messages.success(
        request,
        _("Welcome to %(title)s.") % {"title": invitation.collaboration.title},
    )
    return redirect(invitation.collaboration)
