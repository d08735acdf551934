"""What notifications add to a comment, in a large collaboration (PostgreSQL), e.g.:

    DATABASE_URL=postgres://…/intersector_bench .venv/bin/python manage.py migrate
    DATABASE_URL=… .venv/bin/python bench/seed_scale.py --partners 150 --answers 5000
    DATABASE_URL=… .venv/bin/python bench/bench_notify.py --slug scale-test --requests 200

A partner posts comments on the question most organisations answered, as the tool page
does (htmx: the answer is the question's comments region), through Django's test client
(the full middleware stack, no network). Each round posts three comments in turn: one with
notifications switched off (the task that raises the events is not queued: the comment as it was
before notifications), one with notifications, one with notifications and an @mention of an
organisation. Interleaving them keeps drift (a growing table, autovacuum) out of the
comparison. Prints p50/p95 per variant, the queries per request, and what the fan-out of
one comment costs in the worker (it is not part of the request). The comments, events,
notifications and queued tasks it made are deleted at the end. A benchmark that prints
numbers, not a test.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intersector.settings")

import django

django.setup()

import statistics
import time
from unittest import mock

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bench.stats import percentile
from intersector.collaborations.models import Membership, Role
from intersector.notifications.models import Event, Notification
from intersector.notifications.services import event_fan_out
from intersector.worksheets import services
from intersector.worksheets.models import Comment, Perspective


def queue_nothing(task, *args):
    return None


class Command(BaseCommand):
    help = "p95 of a comment POST with and without notifications, and the fan-out's cost."

    def add_arguments(self, parser):
        parser.add_argument("--slug", default="scale-test")
        parser.add_argument("--requests", type=int, default=200, help="per variant")
        parser.add_argument("--warmup", type=int, default=10)

    def handle(self, *args, slug, requests, warmup, **options):
        members = Membership.objects.filter(collaboration__slug=slug)
        writer = (
            members.filter(role=Role.PARTNER, partner__isnull=False)
            .select_related("user", "partner", "collaboration")
            .first()
        )
        if writer is None:
            raise CommandError(f"No collaboration {slug!r} with partners (run seed_scale).")
        collaboration = writer.collaboration
        busiest = (
            Perspective.objects.filter(collaboration=collaboration)
            .exclude(text="")
            .values("question_key")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        question_key, answered = busiest["question_key"], busiest["n"]
        mentioned = (
            collaboration.partners.exclude(pk=writer.partner_id).order_by("name").first().name
        )
        self.stdout.write(
            f"{collaboration.slug}: {members.count()} members, "
            f"{collaboration.partners.count()} organisations; question {question_key} "
            f"answered by {answered} organisations; database {connection.vendor}"
        )

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        client = Client()
        client.force_login(writer.user)
        url = reverse("worksheets:comment-add", args=[slug, question_key])
        started = timezone.now()
        variants = {
            "without notifications": ("A comment.", "off"),
            "with notifications": ("A comment.", "on"),
            "with an @mention": (f"A comment for @{mentioned}.", "on"),
        }
        queries = {}

        def post(name: str, *, headers: dict, expected: int) -> float:
            text, mode = variants[name]
            # Off: the task that works out who hears of it is not queued.
            patch = mock.patch.object(services, "enqueue_on_commit", queue_nothing)
            if mode == "off":
                patch.start()
            connection.queries_log.clear()
            try:
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    response = client.post(url, {"text": text}, **headers)
                    elapsed = (time.perf_counter() - start) * 1000
            finally:
                if mode == "off":
                    patch.stop()
            if response.status_code != expected:
                raise CommandError(f"{url}: HTTP {response.status_code}")
            # The question keeps the same comments: every request renders the same region.
            Comment.objects.filter(collaboration=collaboration, created_at__gte=started).delete()
            queries[name] = len(captured.captured_queries)
            return elapsed

        try:
            for how, headers, expected in (
                ("htmx (the region redrawn)", {"HTTP_HX_REQUEST": "true"}, 200),
                ("no JS (a redirect)", {}, 302),
            ):
                timings = {name: [] for name in variants}
                for round_ in range(warmup + requests):
                    for name in variants:
                        elapsed = post(name, headers=headers, expected=expected)
                        if round_ >= warmup:
                            timings[name].append(elapsed)
                self.stdout.write(f"comment POST, {how}:")
                baseline = percentile(timings["without notifications"], 95)
                for name, values in timings.items():
                    p95 = percentile(values, 95)
                    extra = "" if name.startswith("without") else f" ({p95 - baseline:+.1f} ms)"
                    self.stdout.write(
                        f"  {name:22} n={len(values)}  p50 {statistics.median(values):6.1f} ms"
                        f"  p95 {p95:6.1f} ms{extra:12}  {queries[name]} queries"
                    )
            self._fan_out(collaboration, question_key, variants["with an @mention"][0])
        finally:
            Comment.objects.filter(collaboration=collaboration, created_at__gte=started).delete()
            Event.objects.filter(collaboration=collaboration, created_at__gte=started).delete()
            DBTaskResult.objects.filter(enqueued_at__gte=started).delete()

    def _fan_out(self, collaboration, question_key: str, text: str) -> None:
        """The worker's side of one comment with a mention, timed: raising its events
        (``comment_notify``), then the fan-out of each (not part of the request)."""
        from intersector.worksheets.events import comment_notify

        made = Comment.objects.create(
            collaboration=collaboration, question_key=question_key, text=text
        )
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            comment_notify(comment_id=made.pk)
            elapsed = (time.perf_counter() - start) * 1000
        self.stdout.write(
            f"worker: raising the events of one comment with a mention: {elapsed:.1f} ms, "
            f"{len(captured.captured_queries)} queries"
        )
        events = list(Event.objects.filter(payload__comment_id=made.pk).order_by("pk"))
        for event in events:
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                reached = event_fan_out(event_id=event.pk)
                elapsed = (time.perf_counter() - start) * 1000
            self.stdout.write(
                f"worker: fan-out of the {event.kind!r} event: {reached} recipients, "
                f"{elapsed:.1f} ms, {len(captured.captured_queries)} queries"
            )
        Notification.objects.filter(event__in=events).delete()


if __name__ == "__main__":
    Command().run_from_argv([sys.argv[0], "bench_notify", *sys.argv[1:]])
