"""A large collaboration for benchmarks and query-count checks.

    .venv/bin/python bench/seed_scale.py --partners 50 --answers 5000

builds (or rebuilds: the slug's old collaboration is deleted first) one collaboration with
the given number of partner organisations across the six sectors, one partner account per
organisation plus facilitators and observers, ``--answers`` current perspectives spread over
the toolkit's questions (each with a few earlier versions), agreed answers for a third of the
questions, and Design/Implement/Assess records in proportion. Rows are bulk-inserted, so a
50-partner, 5,000-answer collaboration takes seconds. Accounts are
``scale-<n>@example.org`` (partners), ``scale-facilitator-<n>@example.org`` and
``scale-observer@example.org``, all with the password given by ``--password``.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intersector.settings")

import django

django.setup()

import datetime
import itertools
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assess.models import Measurement
from design.models import Activity, Goal, Indicator, Task
from implement.models import Milestone, Win
from intersector.collaborations.models import Collaboration, Membership, Partner, Role, Sector
from intersector.worksheets.models import (
    Consensus,
    ConsensusRevision,
    Perspective,
    PerspectiveRevision,
)
from intersector.worksheets.toolkit import questions_by_key

VERSIONS_PER_ANSWER = 3


class Command(BaseCommand):
    help = "Create a large collaboration (for benchmarks): many partners, answers and records."

    def add_arguments(self, parser):
        parser.add_argument("--slug", default="scale-test")
        parser.add_argument("--partners", type=int, default=50)
        parser.add_argument("--answers", type=int, default=5000)
        parser.add_argument("--facilitators", type=int, default=5)
        parser.add_argument("--milestones", type=int, default=100)
        parser.add_argument("--password", default="intersector-scale")
        parser.add_argument("--seed", type=int, default=1, help="random seed (repeatable data)")

    @transaction.atomic
    def handle(
        self, *args, slug, partners, answers, facilitators, milestones, password, seed, **options
    ):
        if partners < 1 or answers < 0 or facilitators < 1 or milestones < 0:
            raise CommandError("--partners and --facilitators must be ≥ 1; counts ≥ 0.")
        rng = random.Random(seed)  # noqa: S311 - repeatable synthetic data, not secrets
        now = timezone.now()
        today = timezone.localdate()
        Collaboration.objects.filter(slug=slug).delete()
        collaboration = Collaboration.objects.create(
            title=f"Scale test: {partners} partners, {answers} answers",
            slug=slug,
            problem_statement="A synthetic collaboration for measuring speed at scale.",
            current_stage="implement",
        )
        sectors = list(Sector)
        orgs = Partner.objects.bulk_create(
            Partner(
                collaboration=collaboration,
                name=f"Organisation {i:03d}",
                sector=sectors[i % len(sectors)],
                influence=rng.randint(1, 5),
                proximity=rng.randint(1, 5),
                engagement=rng.choice(list(Partner.Engagement)),
                expertise=f"Expertise of organisation {i}",
                resources=f"Resources of organisation {i}",
            )
            for i in range(partners)
        )
        orgs = list(collaboration.partners.order_by("name"))  # with primary keys everywhere

        people = self._users(partners, facilitators, password)
        Membership.objects.bulk_create(
            [
                Membership(
                    user=people["partners"][i],
                    collaboration=collaboration,
                    role=Role.PARTNER,
                    partner=org,
                )
                for i, org in enumerate(orgs)
            ]
            + [
                Membership(user=user, collaboration=collaboration, role=Role.FACILITATOR)
                for user in people["facilitators"]
            ]
            + [Membership(user=people["observer"], collaboration=collaboration, role=Role.OBSERVER)]
        )

        keys = list(questions_by_key())
        cells = list(itertools.product(keys, range(partners)))
        rng.shuffle(cells)
        perspective_rows, revision_rows = [], []
        for key, i in cells[:answers]:
            answer = {
                "collaboration": collaboration,
                "question_key": key,
                "partner": orgs[i],
                "author": people["partners"][i],
            }
            for version in range(1, VERSIONS_PER_ANSWER + 1):
                text = f"Perspective of organisation {i} on {key}, draft {version}. " * 3
                revision_rows.append(
                    PerspectiveRevision(**answer, version=version, text=text, created_at=now)
                )
            perspective_rows.append(
                Perspective(**answer, version=version, text=text, created_at=now, updated_at=now)
            )
        Perspective.objects.bulk_create(perspective_rows, batch_size=2000)
        PerspectiveRevision.objects.bulk_create(revision_rows, batch_size=2000)
        agreed = {
            "status": "agreed",
            "author": people["facilitators"][0],
            "version": 1,
            "created_at": now,
        }
        Consensus.objects.bulk_create(
            Consensus(
                collaboration=collaboration,
                question_key=key,
                text=f"What the partners agreed on {key}.",
                updated_at=now,
                **agreed,
            )
            for key in keys[::3]
        )
        ConsensusRevision.objects.bulk_create(
            ConsensusRevision(
                collaboration=collaboration,
                question_key=key,
                text=f"What the partners agreed on {key}.",
                **agreed,
            )
            for key in keys[::3]
        )

        goals = Goal.objects.bulk_create(
            Goal(collaboration=collaboration, title=f"Goal {g + 1}", order=g) for g in range(5)
        )
        indicators = Indicator.objects.bulk_create(
            Indicator(
                collaboration=collaboration,
                goal=goals[i % 5],
                name=f"Indicator {i + 1}",
                unit="people",
                baseline=Decimal(10),
                target=Decimal(100),
                target_date=today + datetime.timedelta(days=365),
                owner=orgs[i % partners],
            )
            for i in range(max(5, partners // 5))
        )
        activities = Activity.objects.bulk_create(
            Activity(
                collaboration=collaboration,
                goal=goals[i % 5],
                title=f"Activity {i + 1}",
                lead=orgs[i % partners],
                start=today - datetime.timedelta(days=90),
                end=today + datetime.timedelta(days=180 + i),
            )
            for i in range(max(5, partners // 2))
        )
        Task.objects.bulk_create(
            Task(
                collaboration=collaboration,
                activity=activities[i % len(activities)],
                title=f"Task {i + 1}",
                responsible=orgs[i % partners],
                due=today + datetime.timedelta(days=rng.randint(-30, 120)),
                status=rng.choice(list(Task.Status)),
            )
            for i in range(partners * 2)
        )
        stones = Milestone.objects.bulk_create(
            Milestone(
                collaboration=collaboration,
                title=f"Milestone {i + 1}",
                activity=activities[i % len(activities)],
                due=today + datetime.timedelta(days=rng.randint(-60, 120)),
                status=rng.choice(list(Milestone.Status)),
                created_for=orgs[i % partners],
            )
            for i in range(milestones)
        )
        Win.objects.bulk_create(
            Win(collaboration=collaboration, title=f"Win {i + 1}", milestone=stone)
            for i, stone in enumerate(stones[:10])
        )
        Measurement.objects.bulk_create(
            Measurement(
                collaboration=collaboration,
                indicator=indicator,
                measured_on=today - datetime.timedelta(days=30 * m),
                value=Decimal(10 + 10 * (6 - m)),
            )
            for indicator in indicators
            for m in range(6)
        )

        self.stdout.write(
            self.style.SUCCESS(
                f"{collaboration.title}: /c/{slug}/ — {len(orgs)} partners, "
                f"{min(answers, len(cells))} answers ({len(revision_rows)} versions), "
                f"{len(stones)} milestones"
            )
        )
        self.stdout.write(
            f"Sign in as scale-facilitator-0@example.org, scale-0@example.org … "
            f"scale-{partners - 1}@example.org or scale-observer@example.org "
            f"(password: {password})"
        )

    def _users(self, partners: int, facilitators: int, password: str) -> dict:
        """Scale accounts, created once and reused; one password hash for all (fast)."""
        User = get_user_model()
        hashed = make_password(password)
        emails = (
            [f"scale-{i}@example.org" for i in range(partners)]
            + [f"scale-facilitator-{i}@example.org" for i in range(facilitators)]
            + ["scale-observer@example.org"]
        )
        User.objects.bulk_create(
            [User(email=email, password=hashed, full_name=email.split("@")[0]) for email in emails],
            ignore_conflicts=True,
        )
        User.objects.filter(email__in=emails).update(password=hashed)
        by_email = User.objects.in_bulk(emails, field_name="email")
        return {
            "partners": [by_email[f"scale-{i}@example.org"] for i in range(partners)],
            "facilitators": [
                by_email[f"scale-facilitator-{i}@example.org"] for i in range(facilitators)
            ],
            "observer": by_email["scale-observer@example.org"],
        }


if __name__ == "__main__":
    Command().run_from_argv([sys.argv[0], "seed_scale", *sys.argv[1:]])
