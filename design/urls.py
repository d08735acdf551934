from django.urls import path

from intersector.worksheets import inline
from intersector.worksheets import views as worksheet_views

from .sections import GOVERNANCE, SECTIONS, VISION

app_name = "design"

urlpatterns = [
    path("", worksheet_views.stage_page, {"stage_key": "design"}, name="index"),
    path(
        "tools/<slug:tool_slug>/", worksheet_views.tool_page, {"stage_key": "design"}, name="tool"
    ),
    path("vision/edit/", inline.edit_view, {"section": VISION}, name="vision-edit"),
    path("governance/edit/", inline.edit_view, {"section": GOVERNANCE}, name="governance-edit"),
    *inline.record_urls(SECTIONS),
]
