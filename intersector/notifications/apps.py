from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "intersector.notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Each app registers the kinds of event it raises in its own ``events.py``, and
        # what its people's calendar feeds list in its ``calendar.py``.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("events", "calendar")
