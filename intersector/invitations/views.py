from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from intersector.collaborations.access import Need, get_collaboration_for_user
from intersector.collaborations.models import Role

from . import services
from .forms import AccountFromInvitationForm, InvitationForm
from .models import Invitation

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def members_page(request, access, *, invite_form=None, status=200):
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
        context["invite_form"] = invite_form or InvitationForm(collaboration=collaboration)
        context["invitations"] = collaboration.invitations.pending().select_related(
            "partner", "invited_by", "delivery"
        )
    return render(request, "collaborations/members.html", context, status=status)


@login_required
@require_safe
def members(request, slug: str):
    """Members and pending invitations. People join only by accepting an invitation: a
    facilitator cannot add an account directly, nor learn whether an address has one."""
    access = get_collaboration_for_user(request, slug)
    return members_page(request, access)


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
                **form.cleaned_data,
            )
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                for error in errors:
                    form.add_error(field, error)
        else:
            messages.success(
                request,
                _("The invitation to %(email)s is saved; its e-mail is on its way.")
                % {"email": invitation.email},
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
    services.invitation_resend(invitation=invitation, by=request.user)
    messages.success(
        request,
        _("A new link for %(email)s is on its way; the earlier one no longer works.")
        % {"email": invitation.email},
    )
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
            try:
                services.invitation_accept(invitation=invitation, user=request.user)
            except services.InvitationUsed:
                return _already_used(request, invitation)
            return _welcome(request, invitation)
        return render(request, "invitations/accept.html", {**context, "mode": "join"})

    account = services.invitation_account(invitation)
    # An account made by a JSON import has no password yet: the link lets its owner set one.
    if account is not None and account.has_usable_password():
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
        except services.InvitationUsed:
            return _already_used(request, invitation)
        else:
            login(request, user, backend=MODEL_BACKEND)
            return _welcome(request, invitation)
    return render(
        request,
        "invitations/accept.html",
        {**context, "mode": "create", "form": form},
        status=422 if form.is_bound else 200,
    )


def _already_used(request, invitation):
    """Someone (another tab, another person) accepted the invitation a moment earlier."""
    sign_in = (
        reverse("login") + "?" + urlencode({"next": invitation.collaboration.get_absolute_url()})
    )
    return render(
        request,
        "invitations/invalid.html",
        {"problem": "used", "sign_in": sign_in, "collaboration": invitation.collaboration},
        status=409,
    )


def _welcome(request, invitation):
    messages.success(
        request,
        _("Welcome to %(title)s.") % {"title": invitation.collaboration.title},
    )
    return redirect(invitation.collaboration)
