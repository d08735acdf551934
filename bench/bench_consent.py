"""A response to a proposal against an autosave: in-process time of each, interleaved.

    DATABASE_URL=postgres://…/bench_db python bench/bench_consent.py [--rounds 300]
    # as production renders (cached templates): DEBUG=0 BENCH_PLAIN_HTTP=1
    #   ALLOWED_HOSTS=127.0.0.1 SECRET_KEY=… in front

Needs ``bench/seed_scale.py --partners 150`` (slug scale-test). Opens a proposal on one
agreed answer (closing it and any earlier round again afterwards), then for each round one
partner autosaves a perspective and another partner responds (or changes its response),
both as htmx requests with the Django test client (no network, no server). Prints the p50,
p95 and p99 of each and its query count. The issue's target is that a response is
acknowledged as fast as an autosave; the locust workshop (``bench/load.py``) remains the
measure under load.
"""

import argparse
import os
import random
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

from bench.consent_round import close_rounds, open_round  # noqa: E402
from bench.stats import percentile  # noqa: E402
from intersector.accounts.models import User  # noqa: E402
from intersector.collaborations.models import Collaboration  # noqa: E402
from intersector.worksheets.models import Perspective  # noqa: E402

SLUG = "scale-test"
AUTOSAVED = "design.manager.remit"
PROPOSED = "design.governance.decision-rule"
POSITIONS = ("agree", "stand_aside", "agree", "reservations")
HX = {"HTTP_HX_REQUEST": "true"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver", "127.0.0.1"]
    collaboration = Collaboration.objects.get(slug=SLUG)
    proposal = open_round(collaboration, PROPOSED, "We decide by consent.")
    clients = []
    for n in range(40):
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(User.objects.get(email=f"scale-{n}@example.org"))
        # One request handler for all, as in a server process: each Client's own would
        # load the middleware (WhiteNoise scans the collected static files) on its first
        # request, a 30–60 ms stall in a tenth of the timings.
        if clients:
            client.handler = clients[0].handler
        clients.append(client)
    save_url = f"/c/{SLUG}/worksheets/{AUTOSAVED}/perspective/"
    respond_url = f"/c/{SLUG}/proposals/{proposal.pk}/respond/"
    timings = {"autosave": [], "response": []}
    queries = {}
    rng = random.Random(1)
    print(f"load average: {os.getloadavg()}")
    for i in range(args.rounds):
        saver, responder = rng.sample(clients, 2)
        partner_id = saver.session["_auth_user_id"]
        base = (
            Perspective.objects.filter(
                collaboration=collaboration,
                question_key=AUTOSAVED,
                partner__members__user_id=partner_id,
            )
            .values_list("version", flat=True)
            .first()
            or 0
        )
        requests = [
            ("autosave", saver, save_url, {"text": f"Draft {i}", "base_version": base}),
            ("response", responder, respond_url, {"position": POSITIONS[i % 4], "reason": "r"}),
        ]
        rng.shuffle(requests)
        for name, client, url, data in requests:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.post(url, data, **HX)
                timings[name].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (name, response.status_code)
            queries[name] = len(captured)
    close_rounds(collaboration, PROPOSED)
    for name, values in timings.items():
        print(
            f"{name:9} n={len(values)}  p50 {statistics.median(values):5.1f} ms  "
            f"p95 {percentile(values, 95):5.1f} ms  p99 {percentile(values, 99):5.1f} ms  "
            f"{queries[name]} queries"
        )


if __name__ == "__main__":
    main()
