"""A throwaway collaboration of any size with data in every stage, for the report benchmark
(``bench/bench_report.py --synthetic N``) and the report's query-count tests.

``build_synthetic(partners=N)``: N partners (sectors in turn), every one of the toolkit's
questions (or ``questions`` of them) answered by every partner and agreed, and ``scale``
records of each stage artefact.
Call it inside a transaction that is rolled back.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from assess.models import EvaluationPlan, Lesson, Measurement, Methodology, Observation
from design.models import Activity, Goal, Governance, Indicator, Task, Vision
from diagnose.models import Apprehension, Decision, SectorAnalysis
from implement.models import Champion, FeedbackEntry, Milestone, ProgressUpdate, ResourceIssue, Win
from intersector.collaborations.models import Collaboration, Membership, Partner, Role, Sector
from intersector.worksheets.models import Consensus, Perspective
from intersector.worksheets.toolkit import stages

SENTENCE = (
    "Partners agree to share caseload data monthly, to hold places for east-side young "
    "people, and to review progress together before the next budget round. "
)


def build_synthetic(
    *,
    partners: int,
    scale: int = 3,
    slug: str = "synthetic-report",
    words: int = 2,
    questions: int | None = None,
) -> Collaboration:
    """``words`` sets the answers' length (sentences per perspective); ``questions`` how
    many of the toolkit's questions are answered (spread evenly over the stages; all by
    default)."""
    today = timezone.localdate()
    now = timezone.now()
    User = get_user_model()
    collaboration = Collaboration.objects.create(
        title=f"Synthetic Compact ({partners} partners)",
        slug=slug,
        problem_statement="Young people on the east side cannot find a first job.\n" * 3,
        context="A test of scale.",
        current_stage="assess",
    )
    facilitator, _ = User.objects.get_or_create(
        email="synthetic.facilitator@example.org", defaults={"full_name": "Syn Facilitator"}
    )
    Membership.objects.create(user=facilitator, collaboration=collaboration, role=Role.FACILITATOR)
    sectors = list(Sector)
    orgs = Partner.objects.bulk_create(
        Partner(
            collaboration=collaboration,
            name=f"Partner organisation {i + 1:03d}",
            sector=sectors[i % len(sectors)],
            influence=1 + i % 5,
            proximity=1 + (i * 3) % 5,
            engagement=Partner.Engagement.COMMITTED,
            expertise="Local knowledge.",
            resources="Staff time.",
        )
        for i in range(partners)
    )
    keys = [q.key for s in stages() for t in s.tools for q in t.questions]
    if questions is not None and questions < len(keys):
        step = len(keys) / max(questions, 1)
        keys = [keys[int(i * step)] for i in range(questions)]
    Perspective.objects.bulk_create(
        Perspective(
            collaboration=collaboration,
            question_key=key,
            partner=org,
            version=1,
            text=f"{org.name}: " + SENTENCE * words,
            author=facilitator,
            created_at=now,
        )
        for key in keys
        for org in orgs
    )
    Consensus.objects.bulk_create(
        Consensus(
            collaboration=collaboration,
            question_key=key,
            version=1,
            text="Agreed: " + SENTENCE * words,
            status=Consensus.Status.AGREED,
            author=facilitator,
            created_at=now,
        )
        for key in keys
    )
    # Diagnose
    SectorAnalysis.objects.bulk_create(
        SectorAnalysis(
            collaboration=collaboration, sector=s, interest=SENTENCE, contribution=SENTENCE
        )
        for s in {o.sector for o in orgs}
    )
    Apprehension.objects.bulk_create(
        Apprehension(collaboration=collaboration, raised_by=orgs[i % partners], about=f"Worry {i}")
        for i in range(scale)
    )
    decision = Decision.objects.create(
        collaboration=collaboration, outcome="proceed", reasons=SENTENCE, recorded_by=facilitator
    )
    decision.agreed_by.set(orgs)
    # Design
    Vision.objects.create(collaboration=collaboration, statement=SENTENCE)
    Governance.objects.create(collaboration=collaboration, structure=SENTENCE, manager=orgs[0])
    goals = Goal.objects.bulk_create(
        Goal(collaboration=collaboration, title=f"Goal {i + 1}", outcomes=SENTENCE, order=i)
        for i in range(scale)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            collaboration=collaboration,
            goal=goals[i % scale],
            name=f"Indicator {i + 1}",
            baseline=Decimal(10),
            target=Decimal(50),
            target_date=today + datetime.timedelta(days=365),
            owner=orgs[i % partners],
        )
        for i in range(scale)
    )
    activities = Activity.objects.bulk_create(
        Activity(
            collaboration=collaboration,
            goal=goals[i % scale],
            title=f"Activity {i + 1}",
            lead=orgs[i % partners],
            start=today - datetime.timedelta(days=90),
            end=today + datetime.timedelta(days=90 + 30 * i),
        )
        for i in range(scale)
    )
    for activity in activities:
        activity.supporting.set(orgs[:3])
    tasks = Task.objects.bulk_create(
        Task(
            collaboration=collaboration,
            activity=activities[i % scale],
            title=f"Task {i + 1}",
            responsible=orgs[i % partners],
            assignee=facilitator,
            due=today + datetime.timedelta(days=i - scale),
        )
        for i in range(scale * 2)
    )
    # Implement
    milestones = Milestone.objects.bulk_create(
        Milestone(
            collaboration=collaboration,
            title=f"Milestone {i + 1}",
            activity=activities[i % scale],
            due=today + datetime.timedelta(days=30 * (i - 1)),
            created_for=orgs[i % partners],
            created_by=facilitator,
        )
        for i in range(scale)
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            collaboration=collaboration, task=tasks[i], summary=SENTENCE, created_by=facilitator
        )
        for i in range(scale)
    )
    feedback = FeedbackEntry.objects.bulk_create(
        FeedbackEntry(
            collaboration=collaboration, source="Parents", heard=SENTENCE, source_partner=orgs[0]
        )
        for i in range(scale)
    )
    ResourceIssue.objects.bulk_create(
        ResourceIssue(collaboration=collaboration, title=f"Issue {i}", owner=orgs[i % partners])
        for i in range(scale)
    )
    Champion.objects.bulk_create(
        Champion(collaboration=collaboration, name=f"Champion {i}", partner=orgs[i % partners])
        for i in range(scale)
    )
    Win.objects.bulk_create(
        Win(collaboration=collaboration, title=f"Win {i}", milestone=milestones[i % scale])
        for i in range(scale)
    )
    # Assess
    EvaluationPlan.objects.create(
        collaboration=collaboration,
        purpose="both",
        methodology=Methodology.SHARED_MEASUREMENT,
        questions="Did it work?\nFor whom?",
        evaluator="internal",
    )
    measurements = Measurement.objects.bulk_create(
        Measurement(
            collaboration=collaboration,
            indicator=indicator,
            measured_on=today - datetime.timedelta(days=60 * k),
            value=Decimal(10 + 5 * k),
            created_for=indicator.owner,
        )
        for indicator in indicators
        for k in range(3)
    )
    Observation.objects.bulk_create(
        Observation(collaboration=collaboration, kind="success", title=f"Success {i}")
        for i in range(scale)
    )
    for i in range(scale):
        lesson = Lesson.objects.create(
            collaboration=collaboration,
            title=f"Lesson {i + 1}",
            evidence=SENTENCE,
            recommendation=SENTENCE,
            created_for=orgs[i % partners],
        )
        lesson.milestones.set(milestones[:2])
        lesson.feedback.set(feedback[:2])
        lesson.measurements.set(measurements[:2])
    return collaboration
