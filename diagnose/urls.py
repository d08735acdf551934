from django.urls import path

from intersector.worksheets import views as worksheet_views

from . import views

app_name = "diagnose"

urlpatterns = [
    path("", worksheet_views.stage_page, {"stage_key": "diagnose"}, name="index"),
    path(
        "tools/<slug:tool_slug>/", worksheet_views.tool_page, {"stage_key": "diagnose"}, name="tool"
    ),
    path("artefacts/<slug:key>/", views.region, name="region"),
    path("map/<int:pk>/edit/", views.map_partner_edit, name="map-partner-edit"),
    path("sectors/<slug:sector>/edit/", views.sector_edit, name="sector-edit"),
    path("apprehensions/add/", views.apprehension_add, name="apprehension-add"),
    path("apprehensions/<int:pk>/edit/", views.apprehension_edit, name="apprehension-edit"),
    path("apprehensions/<int:pk>/delete/", views.apprehension_delete, name="apprehension-delete"),
    path("decision/edit/", views.decision_edit, name="decision-edit"),
]
