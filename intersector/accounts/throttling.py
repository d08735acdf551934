"""How django-axes names the person trying to sign in."""

import math

from django.http import HttpRequest

# AccessAttempt.username is a varchar(255); PostgreSQL also refuses NUL characters.
_MAX_LENGTH = 255


def username_from_request(request: HttpRequest, credentials: dict | None = None) -> str:
    """The e-mail address as the sign-in form cleans it (lower case), safe to store."""
    source = credentials if credentials else getattr(request, "POST", {})
    value = source.get("username") or source.get("email") or ""
    if not isinstance(value, str):
        value = str(value)
    return value.replace("\x00", "").strip().lower()[:_MAX_LENGTH]


def locked_out(request: HttpRequest, original_response=None, credentials: dict | None = None):
    """The page for a locked-out sign-in: how long to wait, and the way back in now
    (password reset). The wait runs from the last failure (AXES_COOLOFF_TIME)."""
    from axes.helpers import get_client_ip_address, get_failure_limit
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.shortcuts import render
    from django.utils import timezone

    username = username_from_request(request, credentials)
    last = (
        AccessAttempt.objects.filter(username=username, ip_address=get_client_ip_address(request))
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    cool_off = settings.AXES_COOLOFF_TIME
    remaining = cool_off - (timezone.now() - last) if last else cool_off
    minutes = max(1, math.ceil(remaining.total_seconds() / 60))
    return render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": get_failure_limit(request, credentials),
            "minutes": minutes,
            "cooloff_minutes": int(cool_off.total_seconds() // 60),
            "username": username,
        },
        status=429,
    )
