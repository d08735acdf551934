from django.apps import AppConfig


class WorksheetsConfig(AppConfig):
    name = "intersector.worksheets"
    label = "worksheets"
    verbose_name = "Worksheets"
