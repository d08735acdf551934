from django.urls import path

from . import views

app_name = "reports"

# Mounted at c/<slug>/report/ in intersector/urls.py.
urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export_json, name="export-json"),
    path("import/", views.import_json, name="import"),
    path("data/<int:pk>/", views.data_job, name="data-job"),
    path("data/<int:pk>/export.json", views.data_job_download, name="data-job-download"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/download/", views.download, name="download"),
    path("<slug:scope>/", views.print_view, name="view"),
    path("<slug:scope>/pdf/", views.request_pdf, name="request"),
]
