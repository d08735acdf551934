from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from intersector.notifications.selectors import unread_count


def csp_nonce(request: HttpRequest) -> dict:
    """``csp_nonce`` for templates: django-htmx's ``{% htmx_script %}`` reads this name.

    The nonce stays lazy: it is generated (and added to the CSP header) only when a template
    actually prints it.
    """
    return {"csp_nonce": getattr(request, "csp_nonce", "")}


def notifications(request: HttpRequest) -> dict:
    """The bell's unread count, counted only when a page's header shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
