"""Time to first byte and total time of ``export.json`` at scale-test, through gunicorn.

    DATABASE_URL=postgres://…/bench_db python bench/bench_export.py [--repeat 5] [--port 8111]

Needs ``bench/seed_scale.py`` (slug scale-test). Serves the app as the other served
benchmarks do (bench/serving.py: gunicorn, DEBUG=0, loopback), signs in the first scale
facilitator by making a session for them, and downloads the export ``--repeat`` times.
"""

import argparse
import hashlib
import http.client
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intersector.settings")

from bench.serving import add_server_arguments, server_env, start_gunicorn, stop, wait_healthy  # noqa: E402

SLUG = "scale-test"
FACILITATOR = "scale-facilitator-0@example.org"


def session_key(env: dict) -> str:
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from intersector.accounts.models import User

    user = User.objects.get(email=FACILITATOR)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def fetch(port: int, key: str) -> tuple[float, float, int, str, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    connection.request(
        "GET", f"/c/{SLUG}/report/export.json", headers={"Cookie": f"sessionid={key}"}
    )
    response = connection.getresponse()
    first = response.read(1)
    ttfb = time.perf_counter() - started
    body = first + response.read()
    total = time.perf_counter() - started
    if response.status != 200:
        raise RuntimeError(f"export answered {response.status}")
    connection.close()
    disposition = response.getheader("Content-Disposition", "")
    return (
        ttfb,
        total,
        len(body),
        hashlib.sha256(re.sub(rb'"exported_at": "[^"]*"', b"", body)).hexdigest()[:12],
        disposition,
    )


def main():
    parser = argparse.ArgumentParser()
    add_server_arguments(parser)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    env = server_env(database_url=args.database_url, port=args.port, workers=1)
    key = session_key(env)
    server = start_gunicorn(env)
    try:
        wait_healthy(f"http://127.0.0.1:{args.port}")
        fetch(args.port, key)  # warm up
        runs = [fetch(args.port, key) for _ in range(args.repeat)]
    finally:
        stop(server)
    ttfbs = [r[0] * 1000 for r in runs]
    totals = [r[1] * 1000 for r in runs]
    print(f"load average: {os.getloadavg()}")
    print(
        f"export.json of {SLUG}: {runs[-1][2] / 1024:.0f} KiB, sha256 without exported_at {runs[-1][3]}"
    )
    print(f"  {runs[-1][4]}")
    print(
        f"  time to first byte: median {statistics.median(ttfbs):.0f} ms "
        f"(min {min(ttfbs):.0f}, max {max(ttfbs):.0f})"
    )
    print(
        f"  total:              median {statistics.median(totals):.0f} ms "
        f"(min {min(totals):.0f}, max {max(totals):.0f})"
    )


if __name__ == "__main__":
    main()
