"""Time and profile the benchmark's endpoints in-process (Django test client, pyinstrument).

    DATABASE_URL=postgres://…/bench_db python bench/profile.py [--profile NAME]

Needs the scale seed (bench/load.py creates it). Prints median server time and query count
per endpoint; ``--profile NAME`` prints a pyinstrument profile of that endpoint.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")  # with the reference views

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from intersector.accounts.models import User  # noqa: E402
from intersector.collaborations.access import Access  # noqa: E402
from intersector.collaborations.models import Collaboration  # noqa: E402
from intersector.worksheets import services  # noqa: E402
from intersector.worksheets.models import Perspective  # noqa: E402

SLUG = "scale-test"


def endpoints(partner: Client, facilitator: Client):
    collab = Collaboration.objects.get(slug=SLUG)
    membership = collab.memberships.get(user__email="scale-0@example.org")
    key = "design.manager.remit"
    from intersector.worksheets.toolkit import questions_by_key

    if key not in questions_by_key():
        key = next(iter(questions_by_key()))
    stage, tool, _q = questions_by_key()[key]
    tool_url = f"/c/{SLUG}/{stage.key}/tools/{tool.slug}/"
    save_url = f"/c/{SLUG}/worksheets/{key}/perspective/"

    def save():
        latest = (
            Perspective.objects.filter(
                collaboration=collab, question_key=key, partner=membership.partner
            )
            .values_list("version", flat=True)
            .first()
        ) or 0
        return partner.post(
            save_url,
            {"text": f"profiled {time.monotonic()}", "base_version": latest},
            headers={"HX-Request": "true"},
        )

    htmx = {"HX-Request": "true"}
    present_url = f"/c/{SLUG}/worksheets/{key}/present/"
    stale = partner.get(tool_url, {"live": key}, headers=htmx)["ETag"]
    # A workshop's usual 200: another organisation saved since the poll's last answer, so
    # only the others' region is read and rendered (the same stale ETag every time).
    other = collab.memberships.exclude(partner=membership.partner).filter(
        partner__isnull=False, role="partner"
    )[0]
    latest = (
        Perspective.objects.filter(collaboration=collab, question_key=key, partner=other.partner)
        .values_list("version", flat=True)
        .first()
    ) or 0
    services.perspective_save(
        access=Access(collaboration=collab, membership=other),
        question_key=key,
        text=f"profiled {time.monotonic()}",
        base_version=latest,
    )
    etag = partner.get(tool_url, {"live": key}, headers=htmx)["ETag"]

    return {
        "live poll 304": lambda: partner.get(
            tool_url, {"live": key}, headers={**htmx, "If-None-Match": etag}
        ),
        "live poll 200": lambda: partner.get(tool_url, {"live": key}, headers=htmx),
        "live poll 200, others saved": lambda: partner.get(
            tool_url, {"live": key}, headers={**htmx, "If-None-Match": stale}
        ),
        "presenter poll": lambda: facilitator.get(present_url, {"live": "1"}, headers=htmx),
        "presenter view": lambda: facilitator.get(present_url),
        "autosave": save,
        "tool page": lambda: facilitator.get(tool_url),
        "stage page": lambda: facilitator.get(f"/c/{SLUG}/{stage.key}/"),
        "overview": lambda: facilitator.get(f"/c/{SLUG}/"),
        "dashboard": lambda: facilitator.get(f"/c/{SLUG}/dashboard/"),
        "dashboard 40": lambda: facilitator.get("/c/scale-40/dashboard/"),
        "reference table": lambda: facilitator.get("/bench/table/"),
        "hello": lambda: facilitator.get("/bench/hello/"),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", help="endpoint name to profile with pyinstrument")
    parser.add_argument(
        "--all-frames",
        action="store_true",
        help="with --profile: show Django's and the libraries' frames too (where compiling SQL goes)",
    )
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--only", action="append", help="an endpoint to time (repeatable; default: all)"
    )
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    partner, facilitator = Client(), Client()
    partner.force_login(User.objects.get(email="scale-0@example.org"))
    facilitator.force_login(User.objects.get(email="scale-facilitator-0@example.org"))
    for name, call in endpoints(partner, facilitator).items():
        if args.only and name not in args.only:
            continue
        first = call()
        if first.status_code == 404:
            print(f"{name:28} 404 (not built yet), skipped")
            continue
        times, cpu = [], []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started, cpu_started = time.perf_counter(), time.process_time()
                response = call()
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - cpu_started) * 1000)
        # CPU time of this process (the view, not PostgreSQL): steadier than the wall clock
        # on a machine others share.
        print(
            f"{name:28} {response.status_code}  median {statistics.median(times):6.1f} ms  "
            f"cpu {statistics.median(cpu):5.1f} ms  "
            f"{len(queries)} queries  {len(response.content) // 1024} KiB"
        )
        if args.profile == name:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            with profiler:
                for _ in range(50):
                    call()
            print(profiler.output_text(unicode=True, color=False, show_all=args.all_frames))


if __name__ == "__main__":
    main()
