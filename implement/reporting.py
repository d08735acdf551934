"""Implement's share of the JSON export (see intersector/collaborations/registry.py)."""

from intersector.collaborations.registry import register_export_section
from intersector.collaborations.serialise import Spec, export_group, load_group

from .models import Champion, FeedbackEntry, Milestone, ProgressUpdate, ResourceIssue, Win

AUTHORED = {"people": ("created_by",), "restore": ("created_at",)}

SPECS = {
    "milestones": Spec(
        kind="implement.milestone",
        model=Milestone,
        fields=("title", "due", "status", "achieved_on"),
        order=("due",),
        partners=("created_for",),
        refs={"activity": "design.activity", "goal": "design.goal"},
        **AUTHORED,
    ),
    "progress_updates": Spec(
        kind="implement.progress_update",
        model=ProgressUpdate,
        fields=("date", "summary"),
        order=("date",),
        partners=("created_for",),
        refs={"activity": "design.activity", "task": "design.task"},
        **AUTHORED,
    ),
    "feedback": Spec(
        kind="implement.feedback",
        model=FeedbackEntry,
        fields=("heard_on", "source", "heard", "changed"),
        order=("heard_on",),
        partners=("created_for", "source_partner"),
        **AUTHORED,
    ),
    "capacity_issues": Spec(
        kind="implement.resource_issue",
        model=ResourceIssue,
        fields=("title", "description", "solution", "status"),
        partners=("created_for", "owner"),
        **AUTHORED,
    ),
    "champions": Spec(
        kind="implement.champion",
        model=Champion,
        fields=("name", "position", "kind", "brings"),
        order=("kind", "name"),
        partners=("created_for", "partner"),
        **AUTHORED,
    ),
    "wins": Spec(
        kind="implement.win",
        model=Win,
        fields=("title", "description", "celebrated_on"),
        order=("celebrated_on",),
        partners=("created_for",),
        refs={"milestone": "implement.milestone"},
        **AUTHORED,
    ),
}


def export_implement(collaboration):
    return export_group(SPECS, collaboration)


def load_implement(collaboration, data, context):
    load_group(SPECS, collaboration, data, context, "implement")


register_export_section("implement", export=export_implement, load=load_implement, specs=SPECS)
