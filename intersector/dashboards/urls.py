from django.urls import path

from . import views

app_name = "dashboards"

# Mounted at the root in intersector/urls.py.
urlpatterns = [
    path("dashboard/", views.portfolio, name="portfolio"),
    path("c/<slug:slug>/dashboard/", views.collaboration, name="collaboration"),
    # "Show all" pages of the dashboard's shortened lists.
    path("c/<slug:slug>/dashboard/organisations/", views.organisations, name="organisations"),
    path("c/<slug:slug>/dashboard/milestones/", views.milestones, name="milestones"),
    path("c/<slug:slug>/dashboard/tasks/", views.tasks, name="tasks"),
    path("c/<slug:slug>/dashboard/export/<slug:name>.csv", views.export_csv, name="export"),
]
