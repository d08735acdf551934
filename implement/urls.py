from django.urls import path

from intersector.worksheets import inline
from intersector.worksheets import views as worksheet_views

from .sections import SECTIONS

app_name = "implement"

urlpatterns = [
    path("", worksheet_views.stage_page, {"stage_key": "implement"}, name="index"),
    path(
        "tools/<slug:tool_slug>/",
        worksheet_views.tool_page,
        {"stage_key": "implement"},
        name="tool",
    ),
    *inline.record_urls(SECTIONS),
]
