"""Assess-stage demo data for the Riverton Youth Jobs Compact. Idempotent."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

from implement.demo import design_rows
from implement.models import FeedbackEntry, Milestone
from intersector.collaborations.models import Collaboration

from .models import EvaluationPlan, Lesson, Measurement, Observation


def seed(collaboration: Collaboration) -> None:
    rows = design_rows(collaboration)
    User = get_user_model()
    maya = User.objects.filter(email="facilitator@example.org").first()
    daniel = User.objects.filter(email="partner@example.org").first()

    EvaluationPlan.objects.get_or_create(
        collaboration=collaboration,
        defaults={
            "purpose": EvaluationPlan.Purpose.BOTH,
            "methodology": "results_based_accountability",
            "questions": (
                "How many young people did the compact place, and how many stayed in work?\n"
                "Are east-side young people better off than before the compact?\n"
                "How well did the partners share data and decisions?"
            ),
            "data_sources": "Placement records (agency), city labour-market survey, "
            "partner survey every six months, interviews with young people.",
            "schedule": "Quarterly data review at the steering committee; full evaluation in "
            "spring 2027.",
            "evaluator": EvaluationPlan.Evaluator.EXTERNAL,
            "evaluator_name": "Riverton Community College evaluation team",
            "updated_by": maya,
        },
    )

    measurements = {}
    for indicator, points in [
        (
            rows["placed"],
            [("2025-03-31", 12), ("2025-06-30", 30), ("2025-09-30", 46), ("2025-12-31", 71)],
        ),
        (rows["neet"], [("2025-01-31", 25), ("2025-07-31", 23.5), ("2026-01-31", 21.8)]),
    ]:
        for date, value in points:
            measurement, _ = Measurement.objects.get_or_create(
                indicator=indicator,
                measured_on=datetime.date.fromisoformat(date),
                defaults={
                    "collaboration": collaboration,
                    "value": Decimal(str(value)),
                    "created_by": maya,
                },
            )
            measurements[(indicator.pk, date)] = measurement

    for kind, date, title, detail in [
        (
            "success",
            "2025-07-01",
            "First cohort started with every placement filled",
            "40 of 40 places taken; waiting list of 15.",
        ),
        (
            "setback",
            "2025-08-15",
            "Six young people left in the first two weeks",
            "Most cited travel and the cost of work gear.",
        ),
        (
            "success",
            "2025-10-01",
            "The college joined the steering committee",
            "Brings course places and the evaluation team.",
        ),
        (
            "setback",
            "2025-12-05",
            "Data from the city survey arrives six months late",
            "We cannot see the east-side rate move until mid-2026.",
        ),
    ]:
        Observation.objects.get_or_create(
            collaboration=collaboration,
            title=title,
            defaults={
                "kind": kind,
                "occurred_on": datetime.date.fromisoformat(date),
                "detail": detail,
                "created_by": daniel,
            },
        )

    lesson, created = Lesson.objects.get_or_create(
        collaboration=collaboration,
        title="Fix the practical barriers before the first day",
        defaults={
            "evidence": "Six of the first 40 left in two weeks, citing early starts, no bus and "
            "the cost of boots. After the shuttle and later start, the second wave lost one.",
            "recommendation": "Ask young people and parents about travel, hours and kit before "
            "placements start, and budget for them.",
            "audience": Lesson.Audience.SHAREABLE,
            "created_by": maya,
        },
    )
    if created:
        lesson.milestones.set(
            Milestone.objects.filter(
                collaboration=collaboration, title="First cohort of 40 starts placements"
            )
        )
        lesson.feedback.set(
            FeedbackEntry.objects.filter(
                collaboration=collaboration, heard__startswith="Placements start at 6 am"
            )
        )
        lesson.measurements.set(
            [m for key, m in measurements.items() if key == (rows["placed"].pk, "2025-09-30")]
        )
    Lesson.objects.get_or_create(
        collaboration=collaboration,
        title="Trusted messengers recruit better than adverts",
        defaults={
            "evidence": "Referrals through youth clubs tripled once a former participant spoke "
            "at them; the city's adverts brought in four applicants.",
            "recommendation": "Fund youth workers and former participants to recruit, rather "
            "than advertising.",
            "audience": Lesson.Audience.SHAREABLE,
            "created_by": daniel,
        },
    )
    Lesson.objects.get_or_create(
        collaboration=collaboration,
        title="Agree data timetables before choosing indicators",
        defaults={
            "evidence": "The city survey arrives six months late, so our main outcome "
            "indicator lags the work by half a year.",
            "recommendation": "Check how often and how late each data source arrives.",
            "audience": Lesson.Audience.INTERNAL,
            "created_by": maya,
        },
    )
