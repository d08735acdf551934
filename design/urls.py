from django.urls import path

from intersector.worksheets import inline
from intersector.worksheets import views as worksheet_views

from .sections import DECISION_RULE, GOVERNANCE, SECTIONS, VISION

app_name = "design"

urlpatterns = [
    path("", worksheet_views.stage_page, {"stage_key": "design"}, name="index"),
    path(
        "tools/<slug:tool_slug>/", worksheet_views.tool_page, {"stage_key": "design"}, name="tool"
    ),
    path("vision/edit/", inline.edit_view, {"section": VISION}, name="vision-edit"),
    path("governance/edit/", inline.edit_view, {"section": GOVERNANCE}, name="governance-edit"),
    path(
        "decision-rule/edit/",
        inline.edit_view,
        {"section": DECISION_RULE},
        name="decision-rule-edit",
    ),
    *inline.record_urls(SECTIONS),
]
