from django.urls import path

from intersector.worksheets import views as worksheet_views

from . import views

app_name = "assess"

urlpatterns = [
    path("", worksheet_views.stage_page, {"stage_key": "assess"}, name="index"),
    path(
        "tools/<slug:tool_slug>/", worksheet_views.tool_page, {"stage_key": "assess"}, name="tool"
    ),
    path("plan/edit/", views.plan_edit, name="plan-edit"),
    path("<slug:kind>/", views.section, name="section"),
    path("<slug:kind>/add/", views.add, name="add"),
    path("<slug:kind>/<int:pk>/edit/", views.edit, name="edit"),
    path("<slug:kind>/<int:pk>/delete/", views.delete, name="delete"),
]
