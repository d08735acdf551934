"""Editing endpoints of the Diagnose artefacts. The artefacts themselves are drawn on the
tool pages (``worksheets.views.tool_page``); each endpoint here answers htmx with its region
redrawn, and plain requests with a form page or a redirect back to the tool page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from intersector.collaborations.access import Need, get_collaboration_for_user
from intersector.collaborations.inline import (
    ArtefactRef,
    delete_view,
    edit_view,
    render_region,
    require,
)
from intersector.collaborations.models import Partner, Sector

from . import rules, selectors, services
from .forms import ApprehensionForm, MapScoresForm, SectorAnalysisForm
from .models import Apprehension, SectorAnalysis

MAP = ArtefactRef("diagnose", "engage-potential-partners", "stakeholder-map")
APPREHENSIONS = ArtefactRef("diagnose", "engage-potential-partners", "apprehensions")
SECTORS = ArtefactRef("diagnose", "account-for-resources", "sector-analysis")
DECISION = ArtefactRef("diagnose", "account-for-resources", "decision")
REGIONS = {ref.key: ref for ref in (MAP, APPREHENSIONS, SECTORS, DECISION)}


@login_required
@require_GET
def region(request, slug: str, key: str):
    """An artefact's region on its own (htmx: to cancel an edit); otherwise its tool page."""
    access = get_collaboration_for_user(request, slug)
    ref = REGIONS.get(key)
    if ref is None:
        raise Http404
    if not request.htmx:
        return redirect(ref.url(access))
    return render_region(request, access, ref)


@login_required
@require_http_methods(["GET", "POST"])
def map_partner_edit(request, slug: str, pk: int):
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    partner = get_object_or_404(Partner, pk=pk, collaboration=access.collaboration)
    form = MapScoresForm(request.POST or None, instance=partner, access=access)
    return edit_view(
        request,
        access=access,
        ref=MAP,
        form=form,
        title=_("Place %(name)s on the map") % {"name": partner.name},
        saved_message=_("%(name)s moved on the stakeholder map.") % {"name": partner.name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def sector_edit(request, slug: str, sector: str):
    access = get_collaboration_for_user(request, slug, need=Need.CONTRIBUTE)
    if sector not in Sector.values:
        raise Http404
    require(rules.can_edit_sector(access, sector))
    analysis = SectorAnalysis.objects.filter(
        collaboration=access.collaboration, sector=sector
    ).first() or SectorAnalysis(collaboration=access.collaboration, sector=sector)
    form = SectorAnalysisForm(request.POST or None, instance=analysis, access=access)
    label = Sector(sector).label
    return edit_view(
        request,
        access=access,
        ref=SECTORS,
        form=form,
        title=_("Why %(sector)s cannot solve it alone") % {"sector": label},
        saved_message=_("Analysis of the %(sector)s sector saved.") % {"sector": label},
    )


@login_required
@require_http_methods(["GET", "POST"])
def apprehension_add(request, slug: str):
    access = get_collaboration_for_user(request, slug, need=Need.CONTRIBUTE)
    require(rules.can_add_apprehension(access))
    form = ApprehensionForm(request.POST or None, access=access)
    return edit_view(
        request,
        access=access,
        ref=APPREHENSIONS,
        form=form,
        title=_("Record an apprehension"),
        saved_message=_("Apprehension recorded."),
        adding=True,
    )


def _apprehension(request, slug, pk):
    access = get_collaboration_for_user(request, slug, need=Need.CONTRIBUTE)
    apprehension = get_object_or_404(
        Apprehension.objects.select_related("raised_by"), pk=pk, collaboration=access.collaboration
    )
    require(rules.can_edit_apprehension(access, apprehension))
    return access, apprehension


@login_required
@require_http_methods(["GET", "POST"])
def apprehension_edit(request, slug: str, pk: int):
    access, apprehension = _apprehension(request, slug, pk)
    form = ApprehensionForm(request.POST or None, instance=apprehension, access=access)
    return edit_view(
        request,
        access=access,
        ref=APPREHENSIONS,
        form=form,
        title=_("Edit apprehension"),
        saved_message=_("Apprehension saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def apprehension_delete(request, slug: str, pk: int):
    access, apprehension = _apprehension(request, slug, pk)
    return delete_view(
        request,
        access=access,
        ref=APPREHENSIONS,
        obj=apprehension,
        title=_("Delete this apprehension?"),
        explanation=_("“%(about)s”, raised by %(partner)s, will be removed from the record.")
        % {"about": apprehension.about, "partner": apprehension.raised_by.name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request, slug: str):
    access = get_collaboration_for_user(request, slug, need=Need.MANAGE)
    form = selectors.decision_form(access, request.POST or None)
    return edit_view(
        request,
        access=access,
        ref=DECISION,
        form=form,
        title=_("Can collaboration help? Record the decision"),
        saved_message=_("Decision recorded."),
        save=lambda form: services.decision_record(form=form, user=request.user),
    )
