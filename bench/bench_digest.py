"""Time the daily digest sweep for many people (PostgreSQL, e.g. the bench database):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/intersector_bench \
        .venv/bin/python bench/bench_digest.py --people 1000 --collaborations 50

Builds its own world (collaborations named "Digest bench …", replaced on each run): each
collaboration has its people, one organisation each, a day's new perspectives, comments and
due tasks; then runs the sweep once (``digests_send``, as ``run_periodic`` does at 07:00) and
sends what it queued through the task worker, with Django's in-memory e-mail backend. It
prints the sweep's seconds and queries, and the sending's seconds, for the full world and for
half as many people in the same collaborations (the sweep's queries must not grow with
them). A benchmark that prints numbers, not a test.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intersector.settings")

import django

django.setup()

import argparse
import datetime
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from design.models import Activity, Goal, Task
from intersector.collaborations.models import Collaboration, Membership, Partner, Role, Sector
from intersector.dashboards.digest import digests_send
from intersector.notifications.models import EmailDelivery, NotificationSettings
from intersector.worksheets.models import Comment, Perspective
from intersector.worksheets.toolkit import questions_by_key

PREFIX = "Digest bench"
User = get_user_model()


def build(people: int, collaborations: int, now: datetime.datetime) -> None:
    Collaboration.objects.filter(title__startswith=PREFIX).delete()
    User.objects.filter(email__endswith="@digest-bench.example").delete()
    keys = list(questions_by_key())[:5]
    yesterday = now - datetime.timedelta(hours=12)
    per = people // collaborations
    users = User.objects.bulk_create(
        [User(email=f"p{i}@digest-bench.example", full_name=f"Person {i}") for i in range(people)]
    )
    for u in users:
        u.set_unusable_password()
    collabs = Collaboration.objects.bulk_create(
        [
            Collaboration(title=f"{PREFIX} {c}", slug=f"digest-bench-{c}", problem_statement="x")
            for c in range(collaborations)
        ]
    )
    partners = Partner.objects.bulk_create(
        [
            Partner(collaboration=collab, name=f"Organisation {i}", sector=Sector.NONPROFIT)
            for collab in collabs
            for i in range(per)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user=users[n],
                collaboration=partner.collaboration,
                partner=partner,
                role=Role.FACILITATOR if n % per == 0 else Role.PARTNER,
            )
            for n, partner in enumerate(partners)
        ]
    )
    Perspective.objects.bulk_create(
        [
            Perspective(
                collaboration=p.collaboration,
                partner=p,
                question_key=key,
                text="A new view.",
                created_at=yesterday,
                updated_at=yesterday,
            )
            for p in partners
            for key in keys
        ]
    )
    Comment.objects.bulk_create(
        [Comment(collaboration=c, question_key=keys[0], text="A comment.") for c in collabs]
    )
    goals = Goal.objects.bulk_create([Goal(collaboration=c, title="A goal") for c in collabs])
    activities = Activity.objects.bulk_create(
        [
            Activity(
                collaboration=g.collaboration,
                goal=g,
                title="An activity",
                lead=partners[i * per],
                start=now.date(),
                end=now.date() + datetime.timedelta(days=90),
            )
            for i, g in enumerate(goals)
        ]
    )
    Task.objects.bulk_create(
        [
            Task(
                collaboration=p.collaboration,
                activity=activities[i // per],
                title="A task",
                responsible=p,
                due=now.date() + datetime.timedelta(days=1),
            )
            for i, p in enumerate(partners)
        ]
    )
    NotificationSettings.objects.bulk_create(
        [NotificationSettings(user=u, time_zone="UTC", last_digest_at=yesterday) for u in users]
    )


def run(people: int, collaborations: int) -> None:
    now = timezone.now().replace(hour=7, minute=30)
    build(people, collaborations, now)
    DBTaskResult.objects.all().delete()
    mail.outbox = []
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        with transaction.atomic():
            queued = digests_send(now)
        sweep = time.perf_counter() - started
    started = time.perf_counter()
    call_command("db_worker", batch=True, queue_name="*", verbosity=0, startup_delay=False)
    sending = time.perf_counter() - started
    sent = EmailDelivery.objects.filter(status=EmailDelivery.Status.SENT, key__startswith="digest:")
    print(
        f"{people:>5} people, {collaborations} collaborations: sweep {sweep:6.2f} s, "
        f"{len(queries):>3} queries, {queued} digests queued; sending {sending:6.2f} s, "
        f"{sent.count()} sent, {len(mail.outbox)} in the outbox"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--collaborations", type=int, default=50)
    args = parser.parse_args()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEBUG = False
    print(f"database: {connection.vendor}")
    for people in (args.people // 2, args.people):
        run(people, args.collaborations)
    Collaboration.objects.filter(title__startswith=PREFIX).delete()
    User.objects.filter(email__endswith="@digest-bench.example").delete()


if __name__ == "__main__":
    main()
