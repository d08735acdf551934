"""Design's share of the JSON export (see intersector/collaborations/registry.py).

Goals, activities and tasks are referred to by their position in the exported lists.
"""

from intersector.collaborations.registry import register_export_section
from intersector.collaborations.serialise import Spec, export_group, load_group

from .models import Activity, Goal, Governance, Indicator, Task, Vision

SPECS = {
    "vision": Spec(
        kind="design.vision",
        model=Vision,
        fields=("statement",),
        people=("updated_by",),
        single=True,
    ),
    "goals": Spec(
        kind="design.goal",
        model=Goal,
        fields=("title", "outcomes", "order"),
        order=("order",),
        restore=("created_at",),
    ),
    "indicators": Spec(
        kind="design.indicator",
        model=Indicator,
        fields=("name", "unit", "baseline", "target", "target_date", "data_source"),
        order=("goal__order", "goal_id", "name"),
        partners=("owner",),
        refs={"goal": "design.goal"},
    ),
    "activities": Spec(
        kind="design.activity",
        model=Activity,
        fields=("title", "description", "start", "end"),
        order=("start", "title"),
        partners=("lead",),
        refs={"goal": "design.goal"},
        m2m_partners=("supporting",),
    ),
    "tasks": Spec(
        kind="design.task",
        model=Task,
        fields=("title", "due", "status"),
        order=("due", "title"),
        partners=("responsible",),
        people=("assignee",),
        refs={"activity": "design.activity"},
    ),
    "governance": Spec(
        kind="design.governance",
        model=Governance,
        fields=(
            "structure",
            "manager_remit",
            "decision_making",
            "meeting_rhythm",
            "information_sharing",
        ),
        partners=("manager",),
        single=True,
    ),
}


def export_design(collaboration):
    return export_group(SPECS, collaboration)


def load_design(collaboration, data, context):
    load_group(SPECS, collaboration, data, context, "design")


register_export_section("design", export=export_design, load=load_design, specs=SPECS)
