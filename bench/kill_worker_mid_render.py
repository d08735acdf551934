"""Kill the task worker with SIGKILL in the middle of its work, and watch the work finish.

    .venv/bin/python bench/kill_worker_mid_render.py            # a fresh SQLite file in /tmp
    DATABASE_URL=postgres://…/scratch .venv/bin/python bench/kill_worker_mid_render.py

Not a unit test: it starts the real processes (``manage.py db_worker`` and the sweep,
``manage.py run_periodic``) on a throw-away database it migrates and seeds with the demo
(a DATABASE_URL you give is migrated and seeded too: use a scratch database).

1. A report: the facilitator asks for the PDF (the real view, through Django's test
   client); once the worker renders it in its child process, the worker gets SIGKILL. The
   job stays "running", the renderer dies with its worker, and the task's result too
   stays RUNNING — until the sweep, after TASKS_STALE_AFTER_SECONDS (35 s here),
   puts it back in the queue; the restarted worker renders it and the job is done.
2. An e-mail: an invitation's e-mail, with a mail backend that takes SLOW_EMAIL_SECONDS to
   "send" (bench/slow_mail.py writes each message to a file); the worker is killed while
   sending, is restarted, the sweep recovers the task, and the message goes out once.
   Running the send task again afterwards sends nothing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# TASKS_STALE_AFTER_SECONDS for this run: longer than a render may take (its time limit),
# or the sweep would put back in the queue a task that is still running.
RENDER_TIMEOUT = 30
STALE_AFTER = RENDER_TIMEOUT + 5
WORK = Path(tempfile.mkdtemp(prefix="kill-worker-"))
MAILDIR = WORK / "mail"

os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK / 'db.sqlite3'}")
os.environ.update(
    DJANGO_SETTINGS_MODULE="intersector.settings",
    DEBUG="1",
    TASKS_STALE_AFTER_SECONDS=str(STALE_AFTER),
    REPORTS_RENDER_TIMEOUT=str(RENDER_TIMEOUT),
    TASKS_RETRY_BASE_SECONDS="1",
    EMAIL_BACKEND="bench.slow_mail.SlowFileBackend",
    EMAIL_FILE_PATH=str(MAILDIR),
    SLOW_EMAIL_SECONDS="3",
    PYTHONPATH=str(ROOT),
)
sys.path.insert(0, str(ROOT))

STARTED = time.monotonic()
PROCESSES: list[subprocess.Popen] = []


def say(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f} s] {message}", flush=True)


def manage(*args: str, background: bool = False, log: str | None = None):
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    if not background:
        subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        return None
    out = open(WORK / log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    PROCESSES.append(process)
    return process


def start_worker() -> subprocess.Popen:
    worker = manage(
        "db_worker", "--queue-name", "*", "--interval", "0.2", "--no-startup-delay", "--no-reload",
        background=True, log="worker.log",
    )  # fmt: skip
    say(f"worker started (pid {worker.pid})")
    return worker


def kill(process: subprocess.Popen, what: str) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    say(f"{what} (pid {process.pid}) killed with SIGKILL")


def children_of(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def describe(pid: int) -> str:
    try:
        status = Path(f"/proc/{pid}/status").read_text().splitlines()
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")[:80]
    except FileNotFoundError:
        return "gone"
    return " ".join(line for line in status if line.startswith(("State", "PPid"))) + f" {cmd!r}"


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def wait_for(condition, what: str, timeout: float = 180.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise SystemExit(f"FAILED: {what} did not happen within {timeout:.0f} s")


def task_status(task_path_end: str, since=None) -> str:
    """The statuses of the tasks of that name (queued since ``since``), oldest first: the
    sweep may have sent other mail meanwhile (a digest, when it is morning somewhere)."""
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(task_path__endswith=task_path_end).order_by("enqueued_at")
    if since is not None:
        rows = rows.filter(enqueued_at__gte=since)
    return ", ".join(f"{r.status}" for r in rows) or "none"


def report_part(client, collaboration) -> None:
    from django.urls import reverse

    from intersector.reports.models import ReportJob

    say("— 1. a report, killed mid-render —")
    worker = start_worker()
    response = client.post(reverse("reports:request", args=[collaboration.slug, "all"]))
    job = ReportJob.objects.get(collaboration=collaboration, scope="all")
    say(f"report requested: HTTP {response.status_code}, job {job.pk} is {job.status}")
    wait_for(
        lambda: ReportJob.objects.filter(pk=job.pk, status=ReportJob.Status.RUNNING).exists(),
        "the job to start",
    )
    renderer = wait_for(lambda: children_of(worker.pid), "the renderer child to start")[0]
    time.sleep(0.5)  # well inside WeasyPrint by now
    say(f"job {job.pk} is running; the worker renders it in child pid {renderer}")
    say(f"child {renderer}: {describe(renderer)}")
    kill(worker, "worker")
    time.sleep(0.5)
    say(f"child {renderer}: {describe(renderer)}")
    job.refresh_from_db()
    say(
        f"renderer child {renderer} still alive: {alive(renderer)}; job {job.pk} is "
        f"{job.status}; its task: {task_status('render_report')}"
    )
    again = client.post(reverse("reports:request", args=[collaboration.slug, "all"]))
    say(f"asking again answers the same job: {again['Location'].endswith(f'/{job.pk}/')}")

    worker = start_worker()
    sweep = manage("run_periodic", "--every", "1", background=True, log="sweep.log")
    say(f"sweep started (pid {sweep.pid}); it requeues tasks running for over {STALE_AFTER} s")
    wait_for(
        lambda: ReportJob.objects.filter(pk=job.pk, status=ReportJob.Status.DONE).exists(),
        "the job to finish",
    )
    job.refresh_from_db()
    say(
        f"job {job.pk} is {job.status}: {job.page_count} pages, {len(job.pdf)} bytes of PDF, "
        f"rendered in {job.render_seconds:.1f} s; its task: {task_status('render_report')}"
    )
    kill(worker, "worker")
    sweep.terminate()
    sweep.wait()


def sent_invitations() -> int:
    if not MAILDIR.exists():
        return 0
    return sum(p.read_text().count("Message-ID: <invitation.") for p in MAILDIR.iterdir())


def email_part(client, collaboration) -> None:
    from django.urls import reverse
    from django.utils import timezone

    from intersector.invitations.models import Invitation
    from intersector.notifications.models import EmailDelivery
    from intersector.notifications.services import email_delivery_send

    say("— 2. an invitation e-mail, killed mid-send —")
    worker = start_worker()
    since = timezone.now()
    response = client.post(
        reverse("invitations:create", args=[collaboration.slug]),
        {"email": "new.partner@example.org", "role": "observer", "partner": ""},
    )
    invitation = Invitation.objects.get(email="new.partner@example.org")
    say(f"invitation created: HTTP {response.status_code} (the page answers at once)")
    wait_for(lambda: task_status("send_emails", since) == "RUNNING", "the send task to start")
    time.sleep(1.0)  # inside the mail backend's 3 s
    kill(worker, "worker")
    delivery = EmailDelivery.objects.get(pk=invitation.delivery_id)
    say(
        f"delivery {delivery.key} is {delivery.status}; messages written: "
        f"{sent_invitations()}; its task: {task_status('send_emails', since)}"
    )
    worker = start_worker()
    sweep = manage("run_periodic", "--every", "1", background=True, log="sweep.log")
    say(f"sweep started (pid {sweep.pid})")
    wait_for(
        lambda: EmailDelivery.objects.filter(
            pk=delivery.pk, status=EmailDelivery.Status.SENT
        ).exists(),
        "the e-mail to be sent",
    )
    delivery.refresh_from_db()
    say(
        f"delivery is {delivery.status} after {delivery.attempts} attempt(s); messages "
        f"written: {sent_invitations()}; its task: {task_status('send_emails', since)}"
    )
    say(f"running the send task once more: {email_delivery_send(delivery_id=delivery.pk)}")
    time.sleep(1.5)
    say(f"messages written: {sent_invitations()} (one e-mail, sent once)")
    kill(worker, "worker")
    sweep.terminate()
    sweep.wait()


def main() -> None:
    say(f"database {os.environ['DATABASE_URL']}; mail files in {MAILDIR}")
    manage("migrate", "--no-input")
    manage("seed_demo")
    say("migrated and seeded the demo")

    import django

    django.setup()
    from django.test import Client

    from intersector.collaborations.models import Collaboration, Membership, Role

    collaboration = Collaboration.objects.get(slug="riverton-youth-jobs-compact")
    facilitator = (
        Membership.objects.filter(collaboration=collaboration, role=Role.FACILITATOR)
        .select_related("user")
        .first()
        .user
    )
    client = Client(SERVER_NAME="localhost")
    client.force_login(facilitator)
    try:
        report_part(client, collaboration)
        email_part(client, collaboration)
    finally:
        for process in PROCESSES:
            if process.poll() is None:
                process.kill()
                process.wait()
    say(f"done (logs: {WORK}/worker.log, {WORK}/sweep.log)")


if __name__ == "__main__":
    main()
