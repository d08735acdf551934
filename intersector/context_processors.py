from django.http import HttpRequest


def csp_nonce(request: HttpRequest) -> dict:
    """``csp_nonce`` for templates: django-htmx's ``{% htmx_script %}`` reads this name.

    The nonce stays lazy: it is generated (and added to the CSP header) only when a template
    actually prints it.
    """
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
