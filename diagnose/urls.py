from django.urls import path

from intersector.worksheets import inline
from intersector.worksheets import views as worksheet_views

from .sections import DECISION, MAP, SECTIONS, SECTORS

app_name = "diagnose"

urlpatterns = [
    path("", worksheet_views.stage_page, {"stage_key": "diagnose"}, name="index"),
    path(
        "tools/<slug:tool_slug>/", worksheet_views.tool_page, {"stage_key": "diagnose"}, name="tool"
    ),
    path("map/<int:pk>/edit/", inline.edit_view, {"section": MAP}, name="map-partner-edit"),
    path("sectors/<slug:sector>/edit/", inline.edit_view, {"section": SECTORS}, name="sector-edit"),
    path("decision/edit/", inline.edit_view, {"section": DECISION}, name="decision-edit"),
    *inline.record_urls(SECTIONS),
]
