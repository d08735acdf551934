"""A collaboration's read-only pages kept rendered, per person, until its data changes.

A facilitator reloading the dashboard, or a partner going back to a tool page, gets the page
rendered the last time for them, as long as nothing in the collaboration has changed since:
the key holds the collaboration's change marker, which every write to its data moves
(``collaborations/change_markers.py``), read in the same query as the membership. A page
kept under an older marker is simply never asked for again and ages out of the cache.

What differs per response is left out of the kept copy: the CSRF token and the CSP nonce are
rendered as placeholders and filled in for each response, so the token is the one for this
browser and the nonce is new every time. A request with messages to show (after a form
redirect) is rendered afresh, and so is anything but a plain 200 page.

Each app server keeps its own copy (the ``pages`` cache is in-process): correctness needs no
shared cache, because the marker comes from the database.
"""

import hashlib
import secrets
from collections.abc import Callable

from django.contrib import messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from intersector.collaborations.access import Access

# Secret to this process, so that no text a user writes can contain one and be filled in.
CSRF_PLACEHOLDER = f"csrf{secrets.token_hex(16)}"
NONCE_PLACEHOLDER = f"nonce{secrets.token_hex(16)}"


def placeholders(request: HttpRequest) -> dict:
    """Context processor: while a page is rendered to be kept, its secrets are placeholders."""
    if getattr(request, "renders_for_page_cache", False):
        return {"csrf_token": CSRF_PLACEHOLDER, "csp_nonce": NONCE_PLACEHOLDER}
    return {}


def _key(request: HttpRequest, access: Access) -> str | None:
    if access.change_version is None or messages.get_messages(request):
        return None
    htmx = sorted(
        (name.lower(), value)
        for name, value in request.headers.items()
        if name.lower().startswith("hx-") and name.lower() != "hx-current-url"
    )
    what = repr(
        (
            access.collaboration.pk,
            access.change_version,
            request.user.pk,
            request.get_full_path(),
            htmx,
            translation.get_language(),
            timezone.get_current_timezone_name(),
            timezone.localdate().isoformat(),
        )
    )
    return hashlib.sha256(what.encode()).hexdigest()


def _filled_in(request: HttpRequest, content: bytes) -> bytes:
    """``content`` with this response's CSRF token and CSP nonce in place of the placeholders."""
    content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    if NONCE_PLACEHOLDER.encode() in content:
        content = content.replace(NONCE_PLACEHOLDER.encode(), str(request.csp_nonce).encode())
    return content


def kept_page(
    request: HttpRequest, access: Access, render_page: Callable[[], HttpResponse]
) -> HttpResponse:
    """The page ``render_page`` renders, from the cache when the collaboration is unchanged."""
    key = _key(request, access)
    if key is None:
        return render_page()
    cache = caches["pages"]
    kept = cache.get(key)
    if kept is None:
        request.renders_for_page_cache = True
        try:
            response = render_page()
        finally:
            request.renders_for_page_cache = False
        if response.status_code != 200 or response.streaming:
            # Not kept; rendered with placeholders all the same, so fill them in.
            response.content = _filled_in(request, response.content)
            return response
        kept = (response.content, dict(response.headers))
        cache.set(key, kept)
    content, headers = kept
    return HttpResponse(_filled_in(request, content), headers=headers)
