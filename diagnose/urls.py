from django.urls import path

from intersector.worksheets import views as worksheet_views

app_name = "diagnose"

urlpatterns = [
    path("", worksheet_views.stage_page, {"stage_key": "diagnose"}, name="index"),
    path("tools/<slug:tool_slug>/", worksheet_views.tool_page, {"stage_key": "diagnose"}, name="tool"),
]
