"""Time the dashboards' server side (view + template + database), e.g. after seed_scale:

    .venv/bin/python bench/seed_scale.py --partners 50 --answers 5000
    .venv/bin/python bench/bench_dashboard.py --slug scale-test --requests 20

Requests go through Django's test client (the full middleware stack, no network), signed
in as a facilitator of the collaboration. Prints p50/p95/max in milliseconds and the
number of queries per request. A benchmark that prints numbers, not a test.
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

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.stats import percentile
from intersector.collaborations.models import Membership, Role


class Command(BaseCommand):
    help = "Time the collaboration dashboard and the portfolio (p50/p95 over N requests)."

    def add_arguments(self, parser):
        parser.add_argument("--slug", default="scale-test")
        parser.add_argument("--requests", type=int, default=20)
        parser.add_argument("--warmup", type=int, default=3)

    def handle(self, *args, slug, requests, warmup, **options):
        membership = (
            Membership.objects.filter(collaboration__slug=slug, role=Role.FACILITATOR)
            .select_related("user")
            .first()
        )
        if membership is None:
            raise CommandError(f"No collaboration {slug!r} with a facilitator (run seed_scale).")
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        client = Client()
        client.force_login(membership.user)
        for name, url in (
            ("dashboard", reverse("dashboards:collaboration", args=[slug])),
            ("dashboard feed page 5", reverse("dashboards:collaboration", args=[slug]) + "?page=5"),
            ("portfolio", reverse("dashboards:portfolio")),
            ("tasks.csv", reverse("dashboards:export", args=[slug, "tasks"])),
        ):
            for _ in range(warmup):
                client.get(url)
            timings = []
            for _ in range(requests):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{url}: HTTP {response.status_code}")
            self.stdout.write(
                f"{name:24} n={requests}  p50 {statistics.median(timings):6.1f} ms  "
                f"p95 {percentile(timings, 95):6.1f} ms  max {max(timings):6.1f} ms  "
                f"{len(queries.captured_queries)} queries"
            )


if __name__ == "__main__":
    Command().run_from_argv([sys.argv[0], "bench_dashboard", *sys.argv[1:]])
