"""Diagnose's share of the JSON export (see intersector/collaborations/registry.py).

The report shows Diagnose's artefacts through reports/artefacts/<key>.html (templates/reports/).
"""

from intersector.collaborations.registry import register_export_section
from intersector.collaborations.serialise import Spec, export_group, load_group

from .models import Apprehension, Decision, SectorAnalysis

SPECS = {
    "sector_analyses": Spec(
        kind="diagnose.sector_analysis",
        model=SectorAnalysis,
        fields=(
            "sector",
            "limits_processes",
            "limits_expertise",
            "limits_resources",
            "interest",
            "contribution",
        ),
        order=("sector",),
    ),
    "apprehensions": Spec(
        kind="diagnose.apprehension",
        model=Apprehension,
        fields=("about", "detail", "response", "status"),
        order=("created_at",),
        partners=("raised_by",),
        restore=("created_at",),
    ),
    "decision": Spec(
        kind="diagnose.decision",
        model=Decision,
        fields=("outcome", "revisit_on", "reasons", "recorded_at"),
        people=("recorded_by",),
        m2m_partners=("agreed_by",),
        single=True,
    ),
}


def export_diagnose(collaboration):
    return export_group(SPECS, collaboration)


def load_diagnose(collaboration, data, context):
    load_group(SPECS, collaboration, data, context, "diagnose")


register_export_section("diagnose", export=export_diagnose, load=load_diagnose, specs=SPECS)
