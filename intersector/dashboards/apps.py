from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "intersector.dashboards"
    label = "dashboards"
    verbose_name = "Dashboards and CSV exports"
