from django.urls import path

from . import views

app_name = "dashboards"

# Mounted at the root in intersector/urls.py.
urlpatterns = [
    path("dashboard/", views.portfolio, name="portfolio"),
    path("c/<slug:slug>/dashboard/", views.collaboration, name="collaboration"),
    path("c/<slug:slug>/dashboard/export/<slug:name>.csv", views.export_csv, name="export"),
]
