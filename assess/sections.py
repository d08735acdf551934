"""The Assess stage's editable sections (see ``implement/inline.py``)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from design.models import Indicator
from implement.inline import Section

from . import forms
from .charts import indicator_chart
from .models import Lesson, Measurement, Observation

EVALUATE = "evaluate-as-you-go"
STORY = "tell-the-story"


def measurement_blockers(measurement: Measurement) -> list[str]:
    n = measurement.lessons.count()
    return [ngettext("%(n)d lesson cites it", "%(n)d lessons cite it", n) % {"n": n}] if n else []


def indicator_charts(access, measurements) -> dict:
    """One chart and table per indicator of the collaboration, with its measurements."""
    by_indicator: dict[int, list[Measurement]] = {}
    for measurement in measurements:
        by_indicator.setdefault(measurement.indicator_id, []).append(measurement)
    indicators = Indicator.objects.filter(collaboration=access.collaboration).select_related(
        "goal", "owner"
    )
    charts = []
    for indicator in indicators:
        rows = by_indicator.get(indicator.pk, [])
        charts.append(
            {
                "indicator": indicator,
                "measurements": rows,
                "latest": rows[-1] if rows else None,
                "chart": indicator_chart(indicator, rows),
            }
        )
    return {"charts": charts, "has_indicators": bool(charts)}


SECTIONS = {
    section.key: section
    for section in (
        Section(
            key="measurements",
            model=Measurement,
            form_class=forms.MeasurementForm,
            template="assess/measurements.html",
            stage="assess",
            tool_slug=EVALUATE,
            noun=_("measurement"),
            related=("indicator__owner", "created_by"),
            authorship_counts=False,
            not_yours=_("Partners record measurements of the indicators their organisation owns."),
            blockers=measurement_blockers,
            summarise=indicator_charts,
        ),
        Section(
            key="observations",
            model=Observation,
            form_class=forms.ObservationForm,
            template="assess/observations.html",
            stage="assess",
            tool_slug=EVALUATE,
            noun=_("success or setback"),
            related=("created_by", "created_for"),
        ),
        Section(
            key="lessons",
            model=Lesson,
            form_class=forms.LessonForm,
            template="assess/lessons.html",
            stage="assess",
            tool_slug=STORY,
            noun=_("lesson"),
            related=("created_by", "created_for"),
            prefetch=("milestones", "feedback", "measurements__indicator"),
        ),
    )
}
