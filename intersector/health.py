from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from intersector.background.tasks import background_status


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database answers, 503 otherwise. The background
    machinery is reported beside it but does not take the web servers out of service."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "unhealthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "background": background_status()})


@never_cache
@require_GET
def healthz_background(request: HttpRequest) -> JsonResponse:
    """For uptime checks: 503 when the periodic sweep or the task worker has not run for
    over an hour (or never), so that a missing scheduler does not fail silently."""
    status = background_status()
    stale = sorted(name for name, part in status.items() if part["stale"])
    return JsonResponse(
        {"status": "stale" if stale else "ok", "stale": stale, **status},
        status=503 if stale else 200,
    )
