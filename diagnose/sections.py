"""The Diagnose artefacts' editable parts, served by the generic views of
``intersector.worksheets.inline`` (wired in ``urls.py``). Who may do what is in
``rules.py``."""

from functools import partial

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from intersector.collaborations.access import Need
from intersector.collaborations.models import Partner, Sector
from intersector.worksheets.inline import Section, Sections

from . import rules, selectors, services
from .forms import ApprehensionForm, DecisionForm, MapScoresForm, SectorAnalysisForm
from .models import Apprehension, Decision, SectorAnalysis

ENGAGE = "engage-potential-partners"
RESOURCES = "account-for-resources"


record = partial(Section, stage="diagnose")


def sector_analysis_for(access, *, sector: str) -> SectorAnalysis:
    if sector not in Sector.values:
        raise Http404
    collaboration = access.collaboration
    return SectorAnalysis.objects.filter(
        collaboration=collaboration, sector=sector
    ).first() or SectorAnalysis(collaboration=collaboration, sector=sector)


def decision_for(access) -> Decision:
    collaboration = access.collaboration
    return selectors.decision_for(collaboration) or Decision(collaboration=collaboration)


MAP = record(
    tool=ENGAGE,
    key="stakeholder-map",
    model=Partner,
    form_class=MapScoresForm,
    noun=_("partner"),
    need=Need.MANAGE,
    fixed_rows=True,
    edit_title=_("Place %(what)s on the map"),
    saved_message=_("%(what)s moved on the stakeholder map."),
)
APPREHENSIONS = record(
    tool=ENGAGE,
    key="apprehensions",
    model=Apprehension,
    form_class=ApprehensionForm,
    noun=_("apprehension"),
    related=("raised_by",),
    may_add=rules.can_add_apprehension,
    may_edit=rules.can_edit_apprehension,
    label=lambda apprehension: apprehension.about,
    summarise=selectors.apprehensions_open,
    add_title=_("Record an apprehension"),
    delete_title=_("Delete this apprehension?"),
    delete_explanation=lambda apprehension: (
        _("“%(about)s”, raised by %(partner)s, will be removed from the record.")
        % {"about": apprehension.about, "partner": apprehension.raised_by.name}
    ),
)
SECTORS = record(
    tool=RESOURCES,
    key="sector-analysis",
    model=SectorAnalysis,
    form_class=SectorAnalysisForm,
    noun=_("sector analysis"),
    lookup=sector_analysis_for,
    may_edit=lambda access, analysis: rules.can_edit_sector(access, analysis.sector),
    edit_title=_("Why %(what)s cannot solve it alone"),
    saved_message=_("Analysis of the %(what)s sector saved."),
)
DECISION = record(
    tool=RESOURCES,
    key="decision",
    model=Decision,
    form_class=DecisionForm,
    noun=_("decision"),
    need=Need.MANAGE,
    lookup=decision_for,
    save=services.decision_save,
    edit_title=_("Can collaboration help? Record the decision"),
)
SECTIONS = Sections(MAP, APPREHENSIONS, SECTORS, DECISION)
