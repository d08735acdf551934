from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from intersector.collaborations.access import get_collaboration_for_user

from . import selectors
from .exports import TABLES, render_csv


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", 1)), 10_000))
    except ValueError:
        return 1


@login_required
@require_safe
def collaboration(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_collaboration_for_user(request, slug)
    page = _page_number(request)
    if request.htmx and request.htmx.target == "activity-feed":
        feed = selectors.activity_feed(access.collaboration, page)
        return render(
            request,
            "dashboards/_feed.html",
            {"access": access, "collaboration": access.collaboration, "feed": feed},
        )
    dashboard = selectors.collaboration_dashboard(access.collaboration, page=page)
    exports = [table for table in TABLES.values() if access.allows(table.need)]
    return render(
        request,
        "dashboards/collaboration.html",
        {
            "access": access,
            "collaboration": access.collaboration,
            "d": dashboard,
            "feed": dashboard.feed,
            "exports": exports,
        },
    )


@login_required
@require_safe
def portfolio(request: HttpRequest) -> HttpResponse:
    sort, descending = selectors.parse_sort(request.GET.get("sort"))
    rows = selectors.portfolio(request.user, sort=sort, descending=descending)
    columns = [
        ("title", _("Collaboration")),
        ("stage", _("Stage")),
        ("progress", _("Progress")),
        ("late", _("Late milestones")),
        ("activity", _("Last activity")),
        ("decision", _("Decision")),
    ]
    return render(
        request,
        "dashboards/portfolio.html",
        {"rows": rows, "sort": sort, "descending": descending, "columns": columns},
    )


@login_required
@require_safe
def export_csv(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    access = get_collaboration_for_user(request, slug)
    table = TABLES.get(name)
    if table is None:
        raise Http404
    if not access.allows(table.need):
        raise PermissionDenied
    response = HttpResponse(
        render_csv(table, access.collaboration).encode("utf-8"),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"{access.collaboration.slug}-{table.name}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
