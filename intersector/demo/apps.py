from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo collaboration (``manage.py seed_demo``): above every stage, as it seeds them all."""

    name = "intersector.demo"
    label = "demo"
    verbose_name = "Demo data"
