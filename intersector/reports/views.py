from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from intersector.collaborations.access import Need, get_collaboration_for_user
from intersector.collaborations.registry import ImportFailed

from . import services
from .exports import IMPORT_MAX_BYTES
from .models import DataJob, Paper, ReportJob, scope_choices
from .rendering import report_html
from .selectors import build_report, valid_scopes


def _paper(request) -> str:
    paper = request.GET.get("paper") or request.POST.get("paper") or Paper.A4
    return paper if paper in Paper.values else Paper.A4


def _scope(scope: str) -> str:
    if scope not in valid_scopes():
        raise Http404("No such report")
    return scope


@login_required
@require_GET
def index(request, slug: str):
    access = get_collaboration_for_user(request, slug)
    paper = _paper(request)
    latest: dict[str, ReportJob] = {}
    for job in (
        ReportJob.objects.filter(collaboration=access.collaboration, paper=paper)
        .defer("pdf")
        .order_by("-created_at", "-pk")
    ):
        latest.setdefault(job.scope, job)
    rows = [
        {"scope": value, "label": label, "job": latest.get(value)}
        for value, label in scope_choices()
    ]
    return render(
        request,
        "reports/index.html",
        {
            "access": access,
            "collaboration": access.collaboration,
            "rows": rows,
            "paper": paper,
            "papers": Paper.choices,
        },
    )


@login_required
@require_GET
def print_view(request, slug: str, scope: str):
    """The report in the browser: the very HTML the PDF is made from, minus the toolbar."""
    access = get_collaboration_for_user(request, slug)
    report = build_report(
        access.collaboration, scope=_scope(scope), paper=_paper(request), for_pdf=False
    )
    return HttpResponse(report_html(report))


@login_required
@require_POST
def request_pdf(request, slug: str, scope: str):
    access = get_collaboration_for_user(request, slug, need=Need.CONTRIBUTE)
    job, _created = services.report_job_request(
        collaboration=access.collaboration,
        scope=_scope(scope),
        paper=_paper(request),
        user=request.user,
    )
    url = job_url(access.collaboration.slug, job)
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def job_url(slug: str, job: ReportJob) -> str:
    return reverse("reports:job", kwargs={"slug": slug, "pk": job.pk})


@login_required
@require_GET
def job(request, slug: str, pk: int):
    access = get_collaboration_for_user(request, slug)
    job = get_object_or_404(
        ReportJob.objects.defer("pdf"), pk=pk, collaboration=access.collaboration
    )
    context = {
        "access": access,
        "collaboration": access.collaboration,
        "job": job,
        "scope_label": dict(scope_choices()).get(job.scope, job.scope),
        "paper_label": Paper(job.paper).label,
    }
    template = "reports/job.html#status" if request.htmx else "reports/job.html"
    return render(request, template, context)


@login_required
@require_GET
def download(request, slug: str, pk: int):
    access = get_collaboration_for_user(request, slug)
    job = get_object_or_404(
        ReportJob, pk=pk, collaboration=access.collaboration, status=ReportJob.Status.DONE
    )
    if not job.pdf:
        raise Http404("This report has no PDF")
    response = HttpResponse(bytes(job.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def export_json(request, slug: str):
    """Ask for the whole collaboration as JSON. Facilitators only: it lists members' e-mails.

    A large collaboration's file takes seconds to make: the worker makes it, and the job's
    page offers it for download.
    """
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    job = services.data_export_request(collaboration=access.collaboration, user=request.user)
    return _to_data_job(request, access.collaboration.slug, job)


def _to_data_job(request, slug: str, job: DataJob):
    url = reverse("reports:data-job", kwargs={"slug": slug, "pk": job.pk})
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


@login_required
def import_json(request, slug: str):
    """Facilitators upload a JSON export; it becomes a NEW collaboration they facilitate.

    Scoped to a collaboration only for access (facilitators of some collaboration may
    import); nothing is written into this one. The file is checked whole here (a bad one is
    answered at once, 422, every problem with its place); the worker imports it.
    """
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    error = ""
    problems: list[tuple[str, str]] = []
    more = 0
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose a JSON file to import.")
        elif upload.size > IMPORT_MAX_BYTES:
            error = _(
                "Nothing was imported. This file is larger than %(mb)d MB, the most "
                "Intersector imports; it cannot be an Intersector export."
            ) % {"mb": IMPORT_MAX_BYTES // (1024 * 1024)}
        else:
            try:
                job = services.data_import_request(
                    collaboration=access.collaboration, raw=upload.read(), user=request.user
                )
            except ImportFailed as exc:
                reason = exc.summary if exc.problems else str(exc)
                error = _("Nothing was imported. %(reason)s") % {"reason": reason}
                problems, more = exc.problems, exc.more
            else:
                return _to_data_job(request, access.collaboration.slug, job)
        status = 422
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(
        request,
        "reports/import.html",
        {
            "access": access,
            "collaboration": access.collaboration,
            "error": error,
            "problems": problems,
            "more": more,
            "max_mb": IMPORT_MAX_BYTES // (1024 * 1024),
        },
        status=status,
    )


@login_required
@require_GET
def data_job(request, slug: str, pk: int):
    """An export or import under way, then its outcome; polls itself while pending."""
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    job = get_object_or_404(
        DataJob.objects.defer("document").select_related("imported"),
        pk=pk,
        collaboration=access.collaboration,
    )
    context = {"access": access, "collaboration": access.collaboration, "job": job}
    template = "reports/data_job.html#status" if request.htmx else "reports/data_job.html"
    return render(request, template, context)


@login_required
@require_GET
def data_job_download(request, slug: str, pk: int):
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    job = get_object_or_404(
        DataJob,
        pk=pk,
        collaboration=access.collaboration,
        kind=DataJob.Kind.EXPORT,
        status=DataJob.Status.DONE,
    )
    response = HttpResponse(job.document.encode(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
