"""What a report shows: one ``Report`` object built in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from intersector.collaborations.access import Access
from intersector.collaborations.models import Collaboration, Membership, Role, Sector
from intersector.collaborations.registry import report_data_providers
from intersector.worksheets import toolkit

from .models import Paper, scope_choices

SCOPE_ALL = "all"


def valid_scopes() -> tuple[str, ...]:
    return (SCOPE_ALL, *(stage.key for stage in toolkit.stages()))


@dataclass
class ToolSection:
    tool: toolkit.Tool
    # reports/artefacts/<artefact.key>.html for each of the tool's artefacts that has one
    artefacts: list[dict[str, Any]]


@dataclass
class StageSection:
    stage: toolkit.Stage
    state: str  # "done", "current" or "todo"
    template: str  # reports/stages/<stage.key>.html: the stage app's hook
    tools: list[ToolSection]

    @property
    def anchor(self) -> str:
        return f"stage-{self.stage.key}"


@dataclass
class Report:
    collaboration: Collaboration
    scope: str
    paper: str
    for_pdf: bool
    created: datetime
    partner_groups: list[dict[str, Any]]
    partners: list[Any]
    facilitators: list[str]
    sections: list[StageSection]
    language: str
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def stage_keys(self) -> tuple[str, ...]:
        return tuple(section.stage.key for section in self.sections)

    @property
    def scope_label(self) -> str:
        return dict(scope_choices())[self.scope]

    @property
    def title(self) -> str:
        if self.scope == SCOPE_ALL:
            return _("%(title)s — collaboration report") % {"title": self.collaboration.title}
        return _("%(title)s — %(stage)s stage report") % {
            "title": self.collaboration.title,
            "stage": self.sections[0].stage.name,
        }

    @property
    def author(self) -> str:
        return self.collaboration.title

    @property
    def paper_stylesheet(self) -> str:
        return f"css/report-{self.paper}.css"

    @property
    def paper_label(self) -> str:
        return Paper(self.paper).label


def _artefact_sections(tool: toolkit.Tool, access: Access) -> list[dict[str, Any]]:
    """Artefacts whose app provides a report template get it, with the tool page's ``ctx``."""
    sections = []
    for artefact in tool.artefacts:
        name = f"reports/artefacts/{artefact.key}.html"
        try:
            get_template(name)
        except TemplateDoesNotExist:
            continue
        sections.append(
            {
                "artefact": artefact,
                "template": name,
                "ctx": import_string(artefact.context)(access),
                "heading_id": f"artefact-{artefact.key}",
            }
        )
    return sections


def report_access(collaboration: Collaboration) -> Access:
    """A read-only, organisation-neutral view: a report shows what any observer may see."""
    return Access(
        collaboration=collaboration,
        membership=Membership(collaboration=collaboration, role=Role.OBSERVER),
    )


def build_report(collaboration: Collaboration, *, scope: str, paper: str, for_pdf: bool) -> Report:
    if scope not in valid_scopes():
        raise ValueError(f"Unknown report scope {scope!r}")
    if paper not in Paper.values:
        raise ValueError(f"Unknown paper size {paper!r}")
    access = report_access(collaboration)
    current = collaboration.stage.index
    sections = []
    for index, stage in enumerate(toolkit.stages()):
        if scope not in (SCOPE_ALL, stage.key):
            continue
        state = "done" if index < current else "current" if index == current else "todo"
        sections.append(
            StageSection(
                stage=stage,
                state=state,
                template=f"reports/stages/{stage.key}.html",
                tools=[
                    ToolSection(tool=t, artefacts=_artefact_sections(t, access))
                    for t in stage.tools
                ],
            )
        )
    partners = list(collaboration.partners.order_by("name"))
    partner_groups = []
    for sector in Sector:
        members = [p for p in partners if p.sector == sector.value]
        if members:
            partner_groups.append(
                {"sector": sector.value, "label": sector.label, "partners": members}
            )
    facilitators = [
        m.user.display_name
        for m in collaboration.memberships.filter(role=Role.FACILITATOR)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    ]
    report = Report(
        collaboration=collaboration,
        scope=scope,
        paper=paper,
        for_pdf=for_pdf,
        created=timezone.localtime(),
        partner_groups=partner_groups,
        partners=partners,
        facilitators=facilitators,
        sections=sections,
        language=get_language() or "en",
    )
    report.data = {
        key: provider(collaboration, report.stage_keys)
        for key, provider in report_data_providers().items()
    }
    return report
