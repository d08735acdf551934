from django.urls import path

from intersector.worksheets import views as worksheet_views

from . import views

app_name = "design"

urlpatterns = [
    path("", worksheet_views.stage_page, {"stage_key": "design"}, name="index"),
    path(
        "tools/<slug:tool_slug>/", worksheet_views.tool_page, {"stage_key": "design"}, name="tool"
    ),
    path("artefacts/<slug:key>/", views.region, name="region"),
    path("vision/edit/", views.vision_edit, name="vision-edit"),
    path("goals/add/", views.goal_add, name="goal-add"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="goal-edit"),
    path("goals/<int:pk>/delete/", views.goal_delete, name="goal-delete"),
    path("indicators/add/", views.indicator_add, name="indicator-add"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator-edit"),
    path("indicators/<int:pk>/delete/", views.indicator_delete, name="indicator-delete"),
    path("activities/add/", views.activity_add, name="activity-add"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity-edit"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity-delete"),
    path("tasks/add/", views.task_add, name="task-add"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task-edit"),
    path("tasks/<int:pk>/delete/", views.task_delete, name="task-delete"),
    path("governance/edit/", views.governance_edit, name="governance-edit"),
]
