from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .calendar import calendar_ics
from .forms import DigestForm, PreferencesForm
from .models import NotificationSettings
from .tokens import read_unsubscribe_token


@login_required
@require_GET
def notifications_page(request):
    groups = selectors.notifications_by_collaboration(request.user)
    return render(
        request,
        "notifications/list.html",
        {"groups": groups, "unread": sum(1 for _, rows in groups for n in rows if not n.read_at)},
    )


@login_required
@require_GET
def notification_open(request, pk: int):
    """Follow a notification to the exact place it is about, marking it read."""
    notification = get_object_or_404(
        selectors.visible_notifications(request.user).select_related("event"), pk=pk
    )
    services.notifications_mark_read(user=request.user, notification_id=notification.pk)
    url = notification.event.url
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        raise Http404
    return redirect(url)


@login_required
@require_POST
def notification_read(request, pk: int):
    get_object_or_404(selectors.visible_notifications(request.user), pk=pk)
    services.notifications_mark_read(user=request.user, notification_id=pk)
    return redirect("notifications:list")


@login_required
@require_POST
def notifications_read_all(request):
    count = services.notifications_mark_read(user=request.user)
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("notifications:list")


@login_required
def preferences(request):
    rows, digest_settings = selectors.preferences_of(request.user)
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, rows=rows)
    digest_form = DigestForm(data, instance=digest_settings)
    if request.method == "POST" and form.is_valid() and digest_form.is_valid():
        services.preferences_save(user=request.user, channels=form.cleaned_data)
        digest_form.save()
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")
    status = 422 if request.method == "POST" else 200
    calendar_url = request.build_absolute_uri(
        reverse("notifications:calendar", args=[digest_settings.calendar_token])
    )
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "digest_form": digest_form, "calendar_url": calendar_url},
        status=status,
    )


@require_GET
def calendar_feed(request, token: str):
    """The person's calendar (no sign-in: calendar apps fetch it). The token is the secret;
    an unknown one, or one replaced by a new address, is not found."""
    found = (
        NotificationSettings.objects.select_related("user")
        .filter(calendar_token=token, user__is_active=True)
        .first()
    )
    if found is None:
        raise Http404
    response = HttpResponse(calendar_ics(found.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="intersector.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
@require_POST
def calendar_reset(request):
    services.calendar_token_reset(user=request.user)
    messages.success(
        request,
        _("Your calendar has a new address. Subscribe to it again: the old one no longer works."),
    )
    return redirect(reverse("notifications:preferences") + "#calendar-heading")


@csrf_exempt  # one-click unsubscribe: mail clients POST without a session (RFC 8058)
def unsubscribe(request, token: str):
    """No sign-in needed: the signed token says who and which e-mail. GET asks, POST does."""
    found = read_unsubscribe_token(token)
    if found is None:
        raise Http404
    user_id, kind = found
    if request.method == "POST":
        if not services.email_unsubscribe(user_id=user_id, kind=kind):
            raise Http404
        return render(request, "notifications/unsubscribed.html", {"done": True})
    return render(request, "notifications/unsubscribed.html", {"done": False})
