from django.urls import path

from intersector.worksheets import inline
from intersector.worksheets import views as worksheet_views

from .sections import GOALS, GOVERNANCE, INDICATORS, REGIONS, ROADMAP, TASKS, VISION

app_name = "design"


urlpatterns = [
    path("", worksheet_views.stage_page, {"stage_key": "design"}, name="index"),
    path(
        "tools/<slug:tool_slug>/", worksheet_views.tool_page, {"stage_key": "design"}, name="tool"
    ),
    path("artefacts/<slug:key>/", inline.region_view, {"section": REGIONS}, name="region"),
    path("vision/edit/", inline.edit_view, {"section": VISION}, name="vision-edit"),
    *inline.record_paths("goals", GOALS, "goal"),
    *inline.record_paths("indicators", INDICATORS, "indicator"),
    *inline.record_paths("activities", ROADMAP, "activity"),
    *inline.record_paths("tasks", TASKS, "task"),
    path("governance/edit/", inline.edit_view, {"section": GOVERNANCE}, name="governance-edit"),
]
