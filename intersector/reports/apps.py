from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ReportsConfig(AppConfig):
    name = "intersector.reports"
    label = "reports"
    verbose_name = "Reports and exports"

    def ready(self) -> None:
        from . import exports  # noqa: F401  (registers the core export sections)

        # Any installed app may add report data and export sections in its own
        # ``reporting.py`` (see intersector/collaborations/registry.py); nothing here needs editing.
        autodiscover_modules("reporting")
