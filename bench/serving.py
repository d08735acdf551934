"""Serve the app for a benchmark: database, gunicorn with DEBUG=0 on loopback, health check.

Shared by bench/load.py and bench/web_vitals.py. Standard library only: load.py imports
locust (and its gevent monkey-patching) first, so the blocking calls here cooperate there.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def add_server_arguments(parser) -> None:
    """The database, port and worker count every served benchmark takes."""
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/intersector_bench"
        ),
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8111)))
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")


def server_env(
    *, database_url: str, port: int, workers: int, access_log: str = "/dev/null"
) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY") or "bench-" + os.urandom(24).hex(),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        BENCH_PLAIN_HTTP="1",
        DJANGO_SETTINGS_MODULE="bench.settings",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS=str(workers),
        GUNICORN_ACCESSLOG=access_log,
        AXES_FAILURE_LIMIT="1000",  # only right passwords here; one IP signs in everyone
    )
    return env


def manage(*args, env) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def bench_script(name: str, *args, env) -> None:
    """Run one of the benchmark's own scripts, ``bench/<name>.py``."""
    subprocess.run([PYTHON, f"bench/{name}.py", *args], cwd=ROOT, env=env, check=True)


def ensure_database(url: str) -> None:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    code = (
        "import psycopg,sys\n"
        f"c=psycopg.connect({admin!r},autocommit=True)\n"
        f"n={name!r}\n"
        "if not c.execute('select 1 from pg_database where datname=%s',(n,)).fetchone():\n"
        "    c.execute('create database \"%s\"' % n)\n"
    )
    subprocess.run([PYTHON, "-c", code], check=True)


def start_gunicorn(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "intersector.wsgi", "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def start_report_process(command: list[str], **popen) -> subprocess.Popen:
    """Start a report renderer as its service unit runs it (README: ``Nice=10``,
    ``CPUWeight=1``): niced, and in a session whose autogroup gets the least CPU weight.
    Linux shares the CPU between sessions' autogroups before nice values count, so without
    the second part a renderer in a session of its own takes a whole core from the app."""
    process = subprocess.Popen(command, start_new_session=True, **popen)
    os.setpriority(os.PRIO_PROCESS, process.pid, 10)
    with contextlib.suppress(OSError):  # no autogroups here: nice alone does it
        Path(f"/proc/{process.pid}/autogroup").write_text("19")
    return process


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def wait_healthy(host: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{host}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not become healthy")
