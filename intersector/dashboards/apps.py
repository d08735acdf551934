from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "intersector.dashboards"
    label = "dashboards"
    verbose_name = "Dashboards, digests and CSV exports"

    def ready(self):
        from . import digest  # noqa: F401  (registers the digest e-mail's builder)
