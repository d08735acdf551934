from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from intersector.collaborations.access import Access, get_collaboration_for_user
from intersector.worksheets.selectors import current_answers

from . import selectors
from .exports import TABLES, render_csv

# Rows per page of the "Show all" lists.
LIST_PAGE_SIZE = 50


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
    dashboard = selectors.collaboration_dashboard(access, page=page)
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


def _show_all(request: HttpRequest, access: Access, template: str, rows, **context) -> HttpResponse:
    """One page of a dashboard list; to an htmx pager, only the list region."""
    page = Paginator(rows, LIST_PAGE_SIZE).get_page(_page_number(request))
    if request.htmx and request.htmx.target == "dash-list":
        template += "#dash-list"
    return render(
        request,
        template,
        {"access": access, "collaboration": access.collaboration, "page": page, **context},
    )


@login_required
@require_safe
def organisations(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_collaboration_for_user(request, slug)
    collaboration = access.collaboration
    sort, descending = selectors.parse_sort(request.GET.get("sort"), selectors.ORGANISATION_SORTS)
    answers = current_answers([collaboration.pk])[collaboration.pk]
    rows = selectors.partner_summaries(
        collaboration, answers, timezone.localdate(), with_last_activity=True
    )
    rows.sort(key=selectors.ORGANISATION_SORTS[sort], reverse=descending)
    columns = [
        ("name", _("Organisation"), ""),
        ("perspectives", _("Perspectives"), "num"),
        ("activity", _("Last activity"), ""),
        ("", _("Open tasks"), "num"),
        ("overdue", _("Overdue"), "num"),
        ("", _("Next due"), ""),
    ]
    return _show_all(
        request,
        access,
        "dashboards/organisations.html",
        rows,
        columns=columns,
        sort=sort,
        descending=descending,
        page_query=f"&sort={'-' if descending else ''}{sort}",
    )


@login_required
@require_safe
def milestones(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_collaboration_for_user(request, slug)
    rows = selectors.milestone_rows(access.collaboration, timezone.localdate())
    return _show_all(request, access, "dashboards/milestones.html", rows)


@login_required
@require_safe
def tasks(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_collaboration_for_user(request, slug)
    rows = selectors.open_tasks(access.collaboration)
    return _show_all(request, access, "dashboards/tasks.html", rows)


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
        {
            "rows": rows,
            "sort": sort,
            "descending": descending,
            "columns": columns,
            "open_proposals": sorted(
                (p for row in rows for p in row.open_proposals),
                key=lambda p: p.proposal.closes_at,
            ),
        },
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
