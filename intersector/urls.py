from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from intersector.collaborations import views as collaboration_views
from intersector.health import healthz, healthz_background

urlpatterns = [
    path("", collaboration_views.home, name="home"),
    path("", include("intersector.collaborations.urls")),
    path("", include("intersector.invitations.urls")),
    path("", include("intersector.dashboards.urls")),
    path("", include("intersector.notifications.urls")),
    path("accounts/", include("intersector.accounts.urls")),
    path("c/<slug:slug>/diagnose/", include("diagnose.urls")),
    path("c/<slug:slug>/design/", include("design.urls")),
    path("c/<slug:slug>/implement/", include("implement.urls")),
    path("c/<slug:slug>/assess/", include("assess.urls")),
    path("c/<slug:slug>/", include("intersector.worksheets.urls")),
    path("c/<slug:slug>/report/", include("intersector.reports.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("healthz/background", healthz_background, name="healthz-background"),
    path("favicon.ico", RedirectView.as_view(url="/static/img/favicon.svg", permanent=True)),
]
