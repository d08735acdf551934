"""The Assess stage's editable sections, served by the generic views of
``intersector.worksheets.inline``."""

from functools import partial

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from design.models import Indicator
from intersector.collaborations.access import Need
from intersector.worksheets.inline import (
    Section,
    Sections,
    anyone,
    author_or_responsible,
    responsible_only,
)

from . import forms
from .charts import indicator_chart
from .models import EvaluationPlan, Lesson, Measurement, Observation

record = partial(
    Section,
    stage="assess",
    may_edit=author_or_responsible,
)

PLAN_TOOL = "define-the-intent-of-the-evaluation"
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


SECTIONS = Sections(
    record(
        key="measurements",
        model=Measurement,
        form_class=forms.MeasurementForm,
        tool=EVALUATE,
        noun=_("measurement"),
        related=("indicator__owner", "created_by"),
        may_edit=responsible_only,
        not_yours=_("Partners record measurements of the indicators their organisation owns."),
        blockers=measurement_blockers,
        summarise=indicator_charts,
    ),
    record(
        key="observations",
        model=Observation,
        form_class=forms.ObservationForm,
        tool=EVALUATE,
        noun=_("success or setback"),
        related=("created_by", "created_for"),
    ),
    record(
        key="lessons",
        model=Lesson,
        form_class=forms.LessonForm,
        tool=STORY,
        noun=_("lesson"),
        related=("created_by", "created_for"),
        prefetch=("milestones", "feedback", "measurements__indicator"),
    ),
)

# The evaluation plan: one per collaboration, agreed and recorded by a facilitator.
PLAN = record(
    key="plan",
    model=EvaluationPlan,
    form_class=forms.EvaluationPlanForm,
    tool=PLAN_TOOL,
    need=Need.MANAGE,
    may_edit=anyone,
    one_per_collaboration=True,
    edit_title=_("Edit the evaluation plan"),
    form_page="assess/plan_edit.html",
    saved_message=_("Evaluation plan saved."),
)
