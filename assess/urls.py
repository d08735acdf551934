from django.urls import path

from intersector.worksheets import inline
from intersector.worksheets import views as worksheet_views

from .sections import PLAN, SECTIONS

app_name = "assess"

urlpatterns = [
    path("", worksheet_views.stage_page, {"stage_key": "assess"}, name="index"),
    path(
        "tools/<slug:tool_slug>/", worksheet_views.tool_page, {"stage_key": "assess"}, name="tool"
    ),
    path("plan/edit/", inline.edit_view, {"section": PLAN}, name="plan-edit"),
    *inline.record_urls(SECTIONS),
]
