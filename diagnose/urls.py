from django.urls import path

from intersector.worksheets import inline
from intersector.worksheets import views as worksheet_views

from .sections import APPREHENSIONS, DECISION, MAP, REGIONS, SECTORS

app_name = "diagnose"

urlpatterns = [
    path("", worksheet_views.stage_page, {"stage_key": "diagnose"}, name="index"),
    path(
        "tools/<slug:tool_slug>/", worksheet_views.tool_page, {"stage_key": "diagnose"}, name="tool"
    ),
    path("artefacts/<slug:key>/", inline.region_view, {"section": REGIONS}, name="region"),
    path("map/<int:pk>/edit/", inline.edit_view, {"section": MAP}, name="map-partner-edit"),
    path("sectors/<slug:sector>/edit/", inline.edit_view, {"section": SECTORS}, name="sector-edit"),
    *inline.record_paths("apprehensions", APPREHENSIONS, "apprehension"),
    path("decision/edit/", inline.edit_view, {"section": DECISION}, name="decision-edit"),
]
