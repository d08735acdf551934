"""Assess's share of the JSON export (see intersector/collaborations/registry.py)."""

from intersector.collaborations.registry import register_export_section
from intersector.collaborations.serialise import Spec, export_group, load_group

from .models import EvaluationPlan, Lesson, Measurement, Observation

AUTHORED = {"people": ("created_by",), "restore": ("created_at",)}

SPECS = {
    "evaluation_plan": Spec(
        kind="assess.evaluation_plan",
        model=EvaluationPlan,
        fields=(
            "purpose",
            "methodology",
            "questions",
            "data_sources",
            "schedule",
            "evaluator",
            "evaluator_name",
        ),
        people=("updated_by",),
        single=True,
    ),
    "measurements": Spec(
        kind="assess.measurement",
        model=Measurement,
        fields=("measured_on", "value", "note"),
        order=("measured_on",),
        partners=("created_for",),
        refs={"indicator": "design.indicator"},
        **AUTHORED,
    ),
    "observations": Spec(
        kind="assess.observation",
        model=Observation,
        fields=("kind", "occurred_on", "title", "detail"),
        order=("occurred_on",),
        partners=("created_for",),
        **AUTHORED,
    ),
    "lessons": Spec(
        kind="assess.lesson",
        model=Lesson,
        fields=("title", "evidence", "recommendation", "audience"),
        order=("created_at",),
        partners=("created_for",),
        m2m_refs={
            "milestones": "implement.milestone",
            "feedback": "implement.feedback",
            "measurements": "assess.measurement",
        },
        **AUTHORED,
    ),
}


def export_assess(collaboration):
    return export_group(SPECS, collaboration)


def load_assess(collaboration, data, context):
    load_group(SPECS, collaboration, data, context, "assess")


register_export_section("assess", export=export_assess, load=load_assess, specs=SPECS)
