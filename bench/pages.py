"""Median in-process time, HTML size and query count of the worksheet pages at scale-test.

    DATABASE_URL=postgres://…/bench_db python bench/pages.py [--repeat 15]

Needs ``manage.py seed_scale`` (slug scale-test). Times the two heaviest tool pages as a
partner and as a facilitator, the stage pages, the overview and the dashboard, with the
Django test client (no network, no server), so other load on the machine matters less.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intersector.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from intersector.accounts.models import User  # noqa: E402

SLUG = "scale-test"
TOOLS = ("design/tools/identify-a-manager", "diagnose/tools/engage-potential-partners")


def pages():
    yield from (f"/c/{SLUG}/{tool}/" for tool in TOOLS)
    yield from (f"/c/{SLUG}/{stage}/" for stage in ("diagnose", "design"))
    yield f"/c/{SLUG}/"
    yield f"/c/{SLUG}/dashboard/"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    people = {
        "partner": "scale-0@example.org",
        "facilitator": "scale-facilitator-0@example.org",
    }
    print(f"load average: {os.getloadavg()}")
    for who, email in people.items():
        client = Client()
        client.force_login(User.objects.get(email=email))
        for url in pages():
            client.get(url)  # warm up
            times = []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - started) * 1000)
            print(
                f"{who:11} {url:62} {response.status_code}  median "
                f"{statistics.median(times):6.1f} ms  {len(queries):2} queries  "
                f"{len(response.content) / 1024:6.0f} KiB"
            )


if __name__ == "__main__":
    main()
