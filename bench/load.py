"""Load benchmark: a workshop (P1, P1s, P5, P7), saturation (P2 and ratios), soak (S1).

    make bench                       # or: .venv/bin/python bench/load.py --help
    .venv/bin/python bench/load.py --soak 30

Creates (if missing) the PostgreSQL database in DATABASE_URL, migrates, runs
``bench/seed_scale.py --partners 150 --answers 5000``, starts gunicorn on 127.0.0.1 (DEBUG=0, with
the benchmark-only switch BENCH_PLAIN_HTTP=1 and bench/settings.py, which adds the reference
views) and the report
worker beside it, then drives it with locust (FastHttpUser, library mode). Every simulated
person signs in through the real sign-in form. See bench/README.md.
"""

# locust monkey-patches the standard library with gevent: import it first.
import locust  # noqa: I001
from locust import FastHttpUser, between, constant, constant_pacing, events, task
from locust.env import Environment

import argparse
import collections
import contextlib
import itertools
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import gevent
import gevent.event
from stats import percentile
from serving import (
    PYTHON,
    add_server_arguments,
    bench_script,
    ROOT,
    ensure_database,
    manage,
    server_env,
    start_gunicorn,
    start_report_process,
    stop,
    wait_healthy,
)

SLUG = "scale-test"
PASSWORD = "intersector-scale"
SEED_PARTNERS = 150
# P5 as quality-targets.md defines it: the dashboard of a 40-partner collaboration, 5
# closed-loop connections (answers in proportion to the 150-partner seed's 5,000).
P5_SLUG, P5_PARTNERS, P5_ANSWERS, P5_CONNECTIONS = "scale-40", 40, 1_350, 5
SMALL_SLUG, SMALL_PARTNERS, SMALL_ANSWERS = "scale-8", 8, 270
# The workshop's tool: five questions every partner answers; facilitators reload its page.
TOOL_STAGE, TOOL_SLUG = "design", "identify-a-manager"
QUESTIONS = [
    "design.manager.remit",
    "design.manager.form-and-neutrality",
    "design.manager.selection-criteria",
    "design.manager.funding",
    "design.manager.reporting",
]
VERSION_RE = re.compile(r'name="base_version" value="(\d+)"')
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# --- Shared state of one phase ------------------------------------------------------------


class Phase:
    """What the simulated people of the running phase share (one process, gevent)."""

    def __init__(self, *, users: int, pairs: int):
        self.users = users
        self.pairs = pairs  # the first 2 × pairs partner users speak for one org in twos
        self.numbers = itertools.count()  # the partners', so each has its own organisation
        self.others = itertools.count()  # facilitators', presenters' and responders'
        self.signed_in = 0
        self.expected = 0
        self.all_in = gevent.event.Event()
        self.acks: list[tuple] = []  # (org index, question, version, text) answered 200
        self.in_flight: set[tuple] = set()  # (org index, question, text) sent, not answered yet
        self.unanswered: list[tuple] = []  # sent, but no HTTP answer (timeout, connection)
        self.ended_at: float | None = None  # time.time() when the users were stopped
        self.conflicts = 0
        self.skip = set()  # endpoints that answered 404 (not built yet)
        self.polls = collections.Counter()  # (endpoint, HTTP status) of the live polls
        self.greenlets: list = []  # the pollers beside the users, killed with the phase

    def arrived(self):
        self.signed_in += 1
        if self.signed_in >= self.expected:
            self.all_in.set()

    def org_of(self, number: int) -> int:
        if number < 2 * self.pairs:
            return number // 2
        return number - self.pairs


PHASE: Phase | None = None
SESSIONS: dict[str, list] = {}  # e-mail -> cookies, so later phases skip the sign-in


def csrf_token(client) -> str:
    for cookie in client.cookiejar:
        if cookie.name == "csrftoken":
            return cookie.value
    return ""


class Person(FastHttpUser):
    abstract = True
    email = ""

    def sign_in(self, email: str) -> None:
        self.email = email
        if email in SESSIONS and getattr(self, "reuse_sessions", True):
            for cookie in SESSIONS[email]:
                self.client.cookiejar.set_cookie(cookie)
            return
        # Password hashing makes sign-in deliberately slow: while many people sign in at
        # once some requests may time out; try again as a person would.
        for attempt in range(6):
            page = self.client.get("/accounts/sign-in/", name="sign-in form")
            match = CSRF_RE.search(page.text or "")
            response = self.client.post(
                "/accounts/sign-in/",
                data={
                    "username": email,
                    "password": PASSWORD,
                    "csrfmiddlewaretoken": match.group(1) if match else "",
                },
                name="sign-in",
                allow_redirects=False,
            )
            if response.status_code == 302:
                break
            gevent.sleep(2 + 2 * attempt)
        else:
            raise RuntimeError(f"sign-in of {email} answered {response.status_code}")
        SESSIONS.setdefault(email, list(self.client.cookiejar))

    def headers(self, htmx: bool = False) -> dict:
        headers = {"X-CSRFToken": csrf_token(self.client)}
        if htmx:
            headers["HX-Request"] = "true"
        return headers

    def page(self, path: str, name: str) -> None:
        if name in PHASE.skip:
            return
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code == 404 and name == "dashboard":
                PHASE.skip.add(name)  # another branch builds it: skip it gracefully
                response.success()
            elif response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")


class Partner(Person):
    """Types an answer; htmx autosaves it every 1–3 s, echoing the version it got back."""

    wait_time = between(1, 3)

    def on_start(self):
        self.number = next(PHASE.numbers)
        self.org = PHASE.org_of(self.number)
        self.question = QUESTIONS[self.org % len(QUESTIONS)]
        self.sign_in(f"scale-{self.org}@example.org")
        self.version = self.current_version()
        self.saves = 0
        PHASE.arrived()
        PHASE.all_in.wait()

    def current_version(self) -> int:
        response = self.client.get(
            f"/c/{SLUG}/{TOOL_STAGE}/tools/{TOOL_SLUG}/", name="tool page (partner opens)"
        )
        qid = "q-" + self.question.replace(".", "--")  # worksheets.selectors.dom_id
        match = re.search(
            rf'id="{re.escape(qid)}-version" name="base_version" value="(\d+)"', response.text or ""
        )
        return int(match.group(1)) if match else 0

    @task
    def autosave(self):
        self.saves += 1
        text = f"Partner {self.number} (org {self.org}), keystroke batch {self.saves}: " + (
            "we can offer mentors and two rooms. " * random.randint(1, 6)  # noqa: S311
        )
        # Stopping the run kills this greenlet inside the request: the save stays in_flight.
        sent = (self.org, self.question, text.strip())
        PHASE.in_flight.add(sent)
        with self.client.post(
            f"/c/{SLUG}/worksheets/{self.question}/perspective/",
            data={"text": text, "base_version": str(self.version)},
            headers=self.headers(htmx=True),
            name="autosave",
            catch_response=True,
        ) as response:
            PHASE.in_flight.discard(sent)
            if not response.status_code:
                PHASE.unanswered.append(sent)
            match = VERSION_RE.search(response.text or "")
            if response.status_code == 200 and match:
                self.version = int(match.group(1))
                PHASE.acks.append((self.org, self.question, self.version, text.strip()))
                response.success()
            elif response.status_code == 409 and match:
                # Someone of the same organisation saved first: the person merges and
                # saves on top of the current version (as the conflict message asks).
                PHASE.conflicts += 1
                self.version = int(match.group(1))
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")


class Facilitator(Person):
    """Reloads the tool page, the stage page, the overview and the dashboard."""

    wait_time = between(1, 3)
    fixed_count = 5

    def on_start(self):
        self.sign_in(f"scale-facilitator-{next(PHASE.others) % 5}@example.org")
        PHASE.arrived()
        PHASE.all_in.wait()

    @task(2)
    def tool_page(self):
        self.page(f"/c/{SLUG}/{TOOL_STAGE}/tools/{TOOL_SLUG}/", "tool page")

    @task
    def stage_page(self):
        self.page(f"/c/{SLUG}/{TOOL_STAGE}/", "stage page")

    @task
    def overview(self):
        self.page(f"/c/{SLUG}/", "overview")

    @task
    def dashboard(self):
        self.page(f"/c/{SLUG}/dashboard/", "dashboard")


class Reporter(Person):
    """Asks for a PDF report now and then and waits for the report worker to finish it."""

    wait_time = between(10, 20)
    fixed_count = 1
    scope = "design"

    def on_start(self):
        self.sign_in("scale-facilitator-4@example.org")
        PHASE.arrived()
        PHASE.all_in.wait()

    @task
    def report(self):
        response = self.client.post(
            f"/c/{SLUG}/report/{self.scope}/pdf/",
            headers=self.headers(),
            name="report request",
            allow_redirects=False,
        )
        location = response.headers.get("Location", "")
        if response.status_code != 302 or "/jobs/" not in location:
            return
        job = urlparse(location).path
        for _ in range(60):
            status = self.client.get(job, name="report job status", headers=self.headers(True))
            if "download" in (status.text or "") or "failed" in (status.text or "").lower():
                break
            gevent.sleep(1)


# --- Saturation: closed loop, no think time ------------------------------------------------


class Closed(Person):
    abstract = True
    wait_time = constant(0)

    def on_start(self):
        self.number = next(PHASE.numbers)
        self.sign_in(self.account())
        self.setup()
        PHASE.arrived()
        PHASE.all_in.wait()

    def account(self) -> str:
        return "scale-facilitator-0@example.org"

    def setup(self):
        pass


class SaturateAutosave(Closed, Partner):
    abstract = True

    def account(self):
        # Organisations the workshop left alone (pairs stay out of this), one per user.
        self.org = SEED_PARTNERS - 1 - self.number
        self.question = QUESTIONS[self.org % len(QUESTIONS)]
        return f"scale-{self.org}@example.org"

    def setup(self):
        self.saves = 0
        self.version = self.current_version()


def closed_user(path: str, name: str):
    """Asks for ``path`` back to back; a ``{n}`` in it is a new number each time."""
    numbers = itertools.count()

    class ClosedPage(Closed):
        @task
        def get(self):
            self.page(path.format(n=next(numbers)), name)

    ClosedPage.__name__ = "Closed_" + re.sub(r"\W", "_", name)
    return ClosedPage


# --- The live workshop: every open page polls every 1.5 s (worksheets/live.py, app.js) -----

LIVE_TOOL_PAGE = f"/c/{SLUG}/{TOOL_STAGE}/tools/{TOOL_SLUG}/"
LIVE_PRESENT = f"/c/{SLUG}/worksheets/{QUESTIONS[0]}/present/"
POLL_EVERY = 1.5  # LIVE_POLL_MS in static/js/app.js


class Polling:
    """Polls as static/js/app.js does: ``?live=1`` with HX-Request and the ETag of its last
    answer; a 304 keeps the ETag, a 200 brings the new one."""

    etag = ""

    def poll(self, path: str, name: str) -> int:
        headers = {"HX-Request": "true"}
        if self.etag:
            headers["If-None-Match"] = self.etag
        with self.client.get(path, headers=headers, name=name, catch_response=True) as response:
            status = response.status_code
            PHASE.polls[name, status] += 1
            if status in (200, 304):
                self.etag = response.headers.get("ETag") or self.etag
                response.success()
            else:
                response.failure(f"HTTP {status}")
        return status

    def poll_every(self, path: str, name: str) -> None:
        gevent.sleep(random.uniform(0, POLL_EVERY))  # noqa: S311  (tabs opened at any moment)
        while True:
            started = time.monotonic()
            self.poll(path, name)
            gevent.sleep(max(0.0, POLL_EVERY - (time.monotonic() - started)))


class LivePartner(Polling, Partner):
    """P1's partner with the tool page open on their question (a phone shows one): autosaves
    every 1–3 s while the page polls that question."""

    abstract = True

    def on_start(self):
        super().on_start()
        path = f"{LIVE_TOOL_PAGE}?live={self.question}"
        PHASE.greenlets.append(gevent.spawn(self.poll_every, path, "live poll (tool page)"))


class Presenter(Polling, Person):
    """A facilitator's presenter view of the workshop's first question, polling."""

    abstract = True

    def wait_time(self):
        return constant_pacing(POLL_EVERY)(self)  # its state is kept on self

    def on_start(self):
        self.sign_in(f"scale-facilitator-{next(PHASE.others) % 5}@example.org")
        PHASE.arrived()
        PHASE.all_in.wait()

    @task
    def present(self):
        self.poll(f"{LIVE_PRESENT}?live=1", "live poll (presenter view)")


RESPOND_RE = re.compile(r'hx-post="(/c/[^"]+/proposals/\d+/respond/)"')
RESPONSES = [("agree", ""), ("stand_aside", ""), ("reservations", "Only with a yearly review.")]


class Responder(Person):
    """A partner answering the open proposal on the workshop's first question (the one the
    presenters show, which partners are autosaving meanwhile): a first response, then a
    change every few seconds, each an htmx POST as the form sends it."""

    abstract = True
    wait_time = between(2, 5)

    def on_start(self):
        # Organisations the live workshop's autosaving partners leave alone (see org_of).
        org = SEED_PARTNERS - 1 - next(PHASE.others) % 20
        self.sign_in(f"scale-{org}@example.org")
        page = self.client.get(LIVE_TOOL_PAGE, name="tool page (responder opens)")
        match = RESPOND_RE.search(page.text or "")
        self.url = match.group(1) if match else ""
        PHASE.arrived()
        PHASE.all_in.wait()

    @task
    def respond(self):
        if not self.url:
            return
        position, reason = random.choice(RESPONSES)  # noqa: S311
        with self.client.post(
            self.url,
            data={"position": position, "reason": reason},
            headers=self.headers(htmx=True),
            name="consent response",
            catch_response=True,
        ) as response:
            if response.status_code == 200 and "response is recorded" in (response.text or ""):
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")


class SaturatePoll(Polling, Closed):
    """Closed loop on the 304 path: a partner whose tool page has seen the latest version."""

    abstract = True

    def account(self):
        return f"scale-{SEED_PARTNERS - 1 - self.number}@example.org"

    def setup(self):
        self.path = f"{LIVE_TOOL_PAGE}?live={QUESTIONS[0]}"
        self.poll(self.path, "live poll setup")

    @task
    def get(self):
        self.poll(self.path, "live poll, nothing new (304)")


def live(args, host, env):
    """The live workshop: P1's partners autosaving, each with the tool page polling as
    app.js does, and 5 presenter views polling; then the 304 path against the reference
    views, closed loop, in the same run."""
    n = args.partners
    others = {type("PresenterUser", (Presenter,), {}): 5}
    title = f"Live: {n} partners autosaving, each polling every {POLL_EVERY:g} s, 5 presenter views"
    # With a round open, the presenters' polls redraw its tally too.
    with responding(args, env, others) as with_responders:
        result = workshop(
            args,
            host,
            env,
            title + with_responders,
            n,
            others,
            partner_class=type("LivePartnerUser", (LivePartner,), {}),
        )
    print("\nPolls answered, by status (304: nothing changed since the poll's last answer):")
    for (name, status), count in sorted(result["polls"].items()):
        print(f"- {name}: HTTP {status} × {count}")
    rows = []
    for name, user in (
        ("hello (reference)", closed_user("/bench/hello/", "hello (reference)")),
        ("50-row table (reference)", closed_user("/bench/table/", "50-row table (reference)")),
        ("live poll, nothing new (304)", type("SaturatePollUser", (SaturatePoll,), {})),
    ):
        phase = run_phase(
            f"Saturation: {name}",
            {user: args.connections},
            host,
            args.saturation_seconds,
            spawn_rate=args.connections,
            pairs=0,
        )
        rows += [r for r in phase["rows"] if r["endpoint"] == name]
        if name.startswith("live"):
            statuses = {s: c for (e, s), c in phase["polls"].items() if e == name}
            print(f"\nStatuses of the closed-loop polls: {statuses}")
    by_name = {r["endpoint"]: r for r in rows}
    poll = by_name.get("live poll, nothing new (304)")
    print(f"\n## The 304 path against the reference views ({args.connections} connections)\n")
    for reference in ("hello (reference)", "50-row table (reference)"):
        if poll and by_name.get(reference) and by_name[reference]["rps"]:
            print(
                f"- {poll['rps']:.1f} req/s against {reference} {by_name[reference]['rps']:.1f}"
                f" req/s: {100 * poll['rps'] / by_name[reference]['rps']:.0f} %"
            )


# --- Running a phase ------------------------------------------------------------------------


def entry_percentile(entry, p: float) -> float:
    return entry.get_response_time_percentile(p) if entry.num_requests else 0


def run_phase(title: str, classes: dict, host: str, seconds: float, spawn_rate: float, **phase):
    """Start ``classes`` ({class: count}), wait until everyone signed in, measure ``seconds``."""
    global PHASE
    total = sum(classes.values())
    PHASE = Phase(users=total, **phase)
    PHASE.expected = total
    for cls, count in classes.items():
        cls.fixed_count = count
        cls.weight = 0
    env = Environment(user_classes=list(classes), host=host, events=events)
    runner = env.create_local_runner()
    runner.start(total, spawn_rate=spawn_rate)
    started = time.monotonic()
    if not PHASE.all_in.wait(timeout=300):
        print(f"  only {PHASE.signed_in}/{total} people signed in after 300 s")
    ramp = time.monotonic() - started
    gevent.sleep(2)  # let the first burst after the release pass
    env.stats.reset_all()
    PHASE.conflicts = 0  # (acks are kept: verify_acks checks every save of the phase)
    window = Window(env)
    logged_from = SERVER_LOG.mark()
    t0 = time.monotonic()
    gevent.sleep(seconds)
    measured = time.monotonic() - t0
    rows = table(env, measured)
    served = SERVER_LOG.times_between(logged_from, SERVER_LOG.mark())
    PHASE.ended_at = time.time()
    runner.quit()
    gevent.killall(PHASE.greenlets)
    window.stop()
    print(f"\n## {title}\n")
    print(
        f"{total} simulated people; signed in / ramp-up {ramp:.0f} s, then {measured:.0f} s measured."
    )
    print_table(rows)
    print_server_times(rows, served)
    return {
        "rows": rows,
        "acks": list(PHASE.acks),
        "unanswered": PHASE.unanswered + sorted(PHASE.in_flight),
        "ended_at": PHASE.ended_at,
        "conflicts": PHASE.conflicts,
        "env": env,
        "per_minute": dict(window.samples),
        "polls": PHASE.polls,
    }


ACCESS_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" \d+ \S+ (?P<ms>\d+)ms$')


def server_endpoint(method: str, path: str) -> str | None:
    """The locust name of a request gunicorn logged, for the endpoints whose server time
    the phases print (the writes and the polls)."""
    if method == "POST" and path.endswith("/perspective/"):
        return "autosave"
    if method == "POST" and path.endswith("/respond/"):
        return "consent response"
    if method == "GET" and "live=" in path:
        return "live poll (presenter view)" if "/present/" in path else "live poll (tool page)"
    return None


class ServerLog:
    """gunicorn's access log, whose ``%(M)s`` is the milliseconds a request spent inside a
    worker (reading it to sending the answer). Beside the client's time it splits a
    percentile into serving and waiting (for a free worker, or in the client)."""

    def __init__(self, path: str):
        self.path = path

    def mark(self) -> int:
        return os.path.getsize(self.path)

    def times_between(self, start: int, end: int) -> dict[str, list[int]]:
        times = collections.defaultdict(list)
        with open(self.path, "rb") as log:
            log.seek(start)
            for line in log.read(end - start).decode(errors="replace").splitlines():
                match = ACCESS_LINE.search(line)
                name = match and server_endpoint(match["method"], match["path"])
                if name:
                    times[name].append(int(match["ms"]))
        return times


SERVER_LOG: ServerLog | None = None


def print_server_times(rows: list[dict], times: dict[str, list[int]]) -> None:
    client = {r["endpoint"]: r for r in rows}
    names = [name for name in client if times.get(name)]
    if not names:
        if "autosave" in client:  # every phase with a server-timed endpoint has autosaves
            print("\ngunicorn's access log gave no times: does ACCESS_LINE match its format?")
        return
    print(
        "\nInside the server (gunicorn's access log, same window); the rest of the client's "
        "time passes before a worker takes the request (all busy) or in the client:\n"
    )
    print("| endpoint | requests | p50 ms | p95 ms | p99 ms | client p95 − server p95 |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in names:
        served = times[name]
        p50, p95, p99 = (percentile(served, p) for p in (50, 95, 99))
        waited = client[name]["p95"] - p95
        print(f"| {name} | {len(served)} | {p50} | {p95} | {p99} | {waited:.0f} ms |")


def table(env, seconds: float) -> list[dict]:
    rows = []
    for (name, _method), entry in sorted(env.stats.entries.items()):
        if not entry.num_requests or name.startswith("sign-in") or "opens" in name:
            continue
        rows.append(
            {
                "endpoint": name,
                "requests": entry.num_requests,
                "rps": entry.num_requests / seconds,
                "p50": entry_percentile(entry, 0.5),
                "p95": entry_percentile(entry, 0.95),
                "p99": entry_percentile(entry, 0.99),
                "errors": entry.num_failures,
            }
        )
    return rows


def print_table(rows: list[dict]) -> None:
    print("| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['endpoint']} | {r['requests']} | {r['rps']:.1f} | {r['p50']:.0f} | "
            f"{r['p95']:.0f} | {r['p99']:.0f} | {r['errors']} |"
        )


class Window:
    """Response times per minute (soak: p95 drift)."""

    def __init__(self, env):
        self.samples = collections.defaultdict(list)
        self.t0 = time.monotonic()
        self.listener = env.events.request.add_listener(self.on_request)

    def on_request(self, name, response_time, exception=None, **kwargs):
        if name == "autosave" and exception is None:
            self.samples[int((time.monotonic() - self.t0) // 60)].append(response_time)

    def stop(self):
        locust.events.request.remove_listener(self.on_request)


def print_drift(per_minute: dict[int, list[float]], whole_minutes: int) -> None:
    """S1: autosave p95 per minute, and the last minutes' p95 against the first minutes'
    (the few saves answered after the last whole minute are left out)."""
    minutes = [minute for minute in sorted(per_minute) if minute < whole_minutes]
    if not minutes:
        print("\nS1 drift: no whole minute of autosaves to compare")
        return
    print("\n| minute | autosaves | p95 ms |\n|---:|---:|---:|")
    for minute in minutes:
        print(
            f"| {minute + 1} | {len(per_minute[minute])} | {percentile(per_minute[minute], 95):.0f} |"
        )
    span = max(1, min(5, len(minutes) // 3))  # 5 minutes, or a third of a shorter soak
    first = [t for m in minutes[:span] for t in per_minute[m]]
    last = [t for m in minutes[-span:] for t in per_minute[m]]
    ratio = percentile(last, 95) / max(percentile(first, 95), 1)
    print(
        f"\nS1 drift: p95 of the last {span} min {percentile(last, 95):.0f} ms vs the first "
        f"{span} min {percentile(first, 95):.0f} ms = {ratio:.2f}× (target ≤ 1.2×)"
    )


# --- Server, database, verification --------------------------------------------------------


# Autosave updates each answer's Perspective row and inserts a PerspectiveRevision row. With
# autovacuum off (this machine's CI configuration), dead rows pile up and every read of
# current answers slows down as a run goes on: a soak then measured the missing vacuum.
# Autovacuum's default naptime is 60 s.
VACUUM_EVERY = 60
AUTOSAVE_TABLES = "worksheets_perspective, worksheets_perspectiverevision"


def run_sql(database_url: str, sql: str) -> str:
    """Run one statement in a separate process (never blocking locust's event loop); returns
    the first column of the first row, if any."""
    code = (
        "import psycopg\n"
        f"cursor = psycopg.connect({database_url!r}, autocommit=True).execute({sql!r})\n"
        "row = cursor.fetchone() if cursor.description else None\n"
        "print(row[0] if row else '')\n"
    )
    out = subprocess.run([PYTHON, "-c", code], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def vacuum_every(database_url: str, seconds: float) -> None:
    while True:
        gevent.sleep(seconds)
        run_sql(database_url, f"vacuum analyze {AUTOSAVE_TABLES}")


def worker_rss_mb(master_pid: int) -> float:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    total = 0
    for pid in children.read_text().split() if children.exists() else []:
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def verify(result: dict, env: dict) -> dict:
    """Check from the database: no acknowledged save was lost (bench/verify_acks.py).

    Prints its table of outcomes and returns its summary.
    """
    run = {k: result[k] for k in ("acks", "unanswered", "ended_at")}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(run, handle)
    out = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "verify_acks.py"), handle.name],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    os.unlink(handle.name)
    *lines, summary = out.stdout.strip().splitlines()
    print("\n" + "\n".join(lines))
    return json.loads(summary)


def workshop(
    args, host, env, title: str, partners: int, others: dict | None = None, partner_class=None
):
    """``partners`` autosaving (P1's load) with ``others`` beside them ({user class: count});
    then every save acknowledged in the phase is checked against the database."""
    pairs = max(10, partners - (SEED_PARTNERS - 20))
    result = run_phase(
        title,
        {partner_class or Partner: partners, **(others or {})},
        host,
        args.seconds,
        spawn_rate=args.spawn_rate,
        pairs=pairs,
    )
    saves = sum(r["requests"] for r in result["rows"] if r["endpoint"] == "autosave")
    print(
        f"\nAutosaves measured: {saves}, of which conflicts (HTTP 409, two people of one "
        f"organisation on one answer; not errors): {result['conflicts']}. Saves sent but never "
        f"answered (in flight when the run stopped, or no answer): {len(result['unanswered'])}."
        "\nEvery save acknowledged in the phase, checked against the database:"
    )
    check = verify(result, env)
    print(
        f"Lost: {check['lost']} of {check['checked']} acknowledged"
        + (f" — e.g. {check['examples']}" if check["lost"] else "")
        + f"; superseded by an in-flight save (not lost): {check['in_flight']}."
    )
    return result


# The workshop: partners autosaving while facilitators steer and a report is asked for.
WORKSHOP_OTHERS = {Facilitator: 5, Reporter: 1}


@contextlib.contextmanager
def responding(args, env, others: dict):
    """With ``--responders N``: a consent round open on the workshop's first question while
    the block runs, and N partners (of organisations nobody autosaves for) responding to it
    beside ``others``; yields the words the phase's title gains."""
    if not args.responders:
        yield ""
        return
    bench_script("consent_round", "open", QUESTIONS[0], env=env)
    others[type("ResponderUser", (Responder,), {})] = args.responders
    try:
        yield f", {args.responders} partners responding to a proposal"
    finally:
        bench_script("consent_round", "close", QUESTIONS[0], env=env)


WORKSHOP_PHASES = ("p1", "p7", "mix", "p1s")


def workshops(args, host, env):
    """P1, P7 and P1s as quality-targets.md defines them, and the workshop that mixes them
    with the facilitators' pages (P5 in use) and a report of the 150-partner collaboration;
    ``--phase`` runs one of them."""
    n = args.partners
    phases = [args.phase] if args.phase else WORKSHOP_PHASES
    if "p1" in phases:
        workshop(args, host, env, f"P1: {n} partners autosaving", n)
    if "p7" in phases:
        with renders_back_to_back(env) as renders:
            workshop(args, host, env, f"P7: {n} partners autosaving, reports rendering", n)
        print_renders(renders)
    if "mix" in phases:
        others = dict(WORKSHOP_OTHERS)
        reports = "a report now and then"
        if args.no_report:
            del others[Reporter]
            reports = "no report"
        with responding(args, env, others) as with_responders:
            workshop(
                args,
                host,
                env,
                f"Workshop: {n} partners, 5 facilitators, {reports}{with_responders}",
                n,
                others,
            )
        wait_for_reports(args.database_url)
        print_last_report_job(args.database_url)
    if "p1s" in phases and args.stretch:
        workshop(args, host, env, f"P1s: {args.stretch} partners autosaving", args.stretch)


@contextlib.contextmanager
def renders_back_to_back(env):
    """P7's other process: reports rendered back to back while the block runs
    (bench/render_loop.py); yields the list its renders are added to: (pages, seconds)."""
    renders: list[tuple[int, float]] = []
    with tempfile.TemporaryFile("w+") as out:
        loop = start_report_process(
            [PYTHON, str(ROOT / "bench" / "render_loop.py")], cwd=ROOT, env=env, stdout=out
        )
        try:
            yield renders
        finally:
            stop(loop)
            out.seek(0)
            renders += [(int(p), float(s)) for p, s in (line.split() for line in out)]


def print_renders(renders: list[tuple[int, float]]) -> None:
    if not renders:
        print("\nNo report finished rendering beside the P7 phase.")
        return
    print(
        "\nReports rendered back to back beside the P7 phase, taking turns (6 partners; in a "
        "guarded child at the renderer's CPU priority; P7: ≤ 6 s for 20 pages):"
    )
    for pages in sorted({pages for pages, _seconds in renders}):
        seconds = sorted(s for p, s in renders if p == pages)
        median = statistics.median(seconds)
        print(
            f"- {pages} A4 pages: {len(seconds)} renders, median {median:.1f} s, "
            f"longest {seconds[-1]:.1f} s"
        )


def wait_for_reports(database_url: str, seconds: float = 180) -> None:
    """Let the report worker finish what the workshop asked for, so that no render runs on
    into the next phase."""
    deadline = time.monotonic() + seconds
    busy = "select count(*) from reports_reportjob where status in ('queued', 'running')"
    while run_sql(database_url, busy) != "0" and time.monotonic() < deadline:
        gevent.sleep(2)


def print_last_report_job(database_url: str) -> None:
    job = run_sql(
        database_url,
        "select concat_ws(', ', status, page_count || ' pages', 'rendered in ' || "
        "round(render_seconds::numeric, 1) || ' s', nullif(error, '')) "
        "from reports_reportjob order by id desc limit 1",
    )
    print(f"\nThe workshop's last report job ({Reporter.scope} stage of {SLUG}): {job or 'none'}.")


def saturation(args, host):
    pages = {
        "hello (reference)": "/bench/hello/",
        "50-row table (reference)": "/bench/table/",
        "tool page": f"/c/{SLUG}/{TOOL_STAGE}/tools/{TOOL_SLUG}/",
        "overview": f"/c/{SLUG}/",
        "stage page": f"/c/{SLUG}/{TOOL_STAGE}/",
        "dashboard": f"/c/{SLUG}/dashboard/",
        # A demo-size collaboration: what most collaborations look like.
        "tool page, demo size": f"/c/{SMALL_SLUG}/{TOOL_STAGE}/tools/{TOOL_SLUG}/",
        "overview, demo size": f"/c/{SMALL_SLUG}/",
        "stage page, demo size": f"/c/{SMALL_SLUG}/{TOOL_STAGE}/",
        "dashboard, demo size": f"/c/{SMALL_SLUG}/dashboard/",
    }
    phases = [(name, closed_user(path, name), args.connections) for name, path in pages.items()]
    phases.append(
        ("autosave", type("SaturateAutosaveUser", (SaturateAutosave,), {}), args.connections)
    )
    p5 = f"dashboard, {P5_PARTNERS} partners, {P5_CONNECTIONS} connections (P5)"
    phases.append((p5, closed_user(f"/c/{P5_SLUG}/dashboard/", p5), P5_CONNECTIONS))
    rows = []
    for name, user, connections in phases:
        result = run_phase(
            f"Saturation: {name}",
            {user: connections},
            host,
            args.saturation_seconds,
            spawn_rate=connections,
            pairs=0,
        )
        rows += [r for r in result["rows"] if r["endpoint"] == name]
    reference = next((r["rps"] for r in rows if r["endpoint"].startswith("50-row")), 0)
    print(
        "\n## Saturation summary (closed loop, "
        f"{args.connections} connections, {args.saturation_seconds:.0f} s each)\n"
    )
    print("| endpoint | req/s | p50 ms | p95 ms | p99 ms | errors | vs 50-row reference |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        ratio = f"{100 * r['rps'] / reference:.0f} %" if reference else "–"
        print(
            f"| {r['endpoint']} | {r['rps']:.1f} | {r['p50']:.0f} | {r['p95']:.0f} | "
            f"{r['p99']:.0f} | {r['errors']} | {ratio} |"
        )


def soak(args, host, env, master_pid):
    global PHASE
    rss_start = worker_rss_mb(master_pid)
    rss_per_minute = []  # read once a minute from the start (sign-in and ramp-up included)
    sampler = gevent.spawn(sample_every_minute, lambda: worker_rss_mb(master_pid), rss_per_minute)
    args.seconds = args.soak * 60
    result = workshop(
        args, host, env, f"Soak: {args.soak} min workshop", args.partners, WORKSHOP_OTHERS
    )
    sampler.kill()
    rss_end = worker_rss_mb(master_pid)
    print_drift(result["per_minute"], whole_minutes=int(args.seconds // 60))
    print(
        "\nWorker RSS (sum over gunicorn workers) per minute since the soak started, MB: "
        + ", ".join(f"{mb:.0f}" for mb in rss_per_minute)
    )
    print(
        f"Worker RSS before/after: {rss_start:.0f} MB → {rss_end:.0f} MB "
        "(workers are recycled every GUNICORN_MAX_REQUESTS requests)"
    )
    del result


def sample_every_minute(read, samples: list) -> None:
    while True:
        gevent.sleep(60)
        samples.append(read())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_server_arguments(parser)
    parser.add_argument("--partners", type=int, default=150)
    parser.add_argument("--stretch", type=int, default=250, help="0 skips the stretch run")
    parser.add_argument("--seconds", type=float, default=60, help="measured time per workshop")
    parser.add_argument("--spawn-rate", type=float, default=4)
    parser.add_argument("--connections", type=int, default=10, help="saturation: closed loop")
    parser.add_argument("--saturation-seconds", type=float, default=20)
    parser.add_argument("--only", choices=["workshop", "saturation", "live"], help="run one part")
    parser.add_argument("--phase", choices=WORKSHOP_PHASES, help="run only this workshop phase")
    parser.add_argument("--soak", type=float, metavar="MINUTES", help="only a long workshop")
    parser.add_argument("--no-seed", action="store_true", help="reuse the seeded database")
    parser.add_argument(
        "--poll-every", type=float, default=POLL_EVERY, help="live: seconds between polls"
    )
    parser.add_argument(
        "--no-report",
        action="store_true",
        help="the workshop mix without the facilitator asking for the report",
    )
    parser.add_argument(
        "--responders",
        type=int,
        default=0,
        help="live and the workshop mix: partners responding to a proposal on the first question (at most 20)",
    )
    args = parser.parse_args()
    globals()["POLL_EVERY"] = args.poll_every  # read by the polling users
    if not args.database_url.startswith("postgres"):
        parser.error("the benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # still stop gunicorn (finally)
    global SERVER_LOG
    access_log = tempfile.NamedTemporaryFile(prefix="bench-access-", suffix=".log")  # noqa: SIM115
    SERVER_LOG = ServerLog(access_log.name)
    env = server_env(
        database_url=args.database_url,
        port=args.port,
        workers=args.workers,
        access_log=access_log.name,
    )
    host = f"http://127.0.0.1:{args.port}"
    ensure_database(args.database_url)
    manage("migrate", "--noinput", "-v0", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    if not args.no_seed:
        bench_script("seed_scale", "--partners", str(SEED_PARTNERS), "--answers", "5000", env=env)
        # Bulk-inserted rows leave the planner's statistics stale (it estimated 145 rows of
        # 15,615 and chose hash anti-joins); autovacuum would fix that later, do it now.
        bench_script(
            "seed_scale",
            *("--slug", P5_SLUG, "--partners", str(P5_PARTNERS), "--answers", str(P5_ANSWERS)),
            env=env,
        )
        bench_script(
            "seed_scale",
            *("--slug", SMALL_SLUG, "--partners", str(SMALL_PARTNERS)),
            *("--answers", str(SMALL_ANSWERS)),
            env=env,
        )
        run_sql(args.database_url, "analyze")
    server = start_gunicorn(env)
    worker = start_report_process(
        [PYTHON, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_healthy(host)
        print(
            f"gunicorn: {args.workers} sync workers on {host}; task worker beside it; "
            f"{os.cpu_count()} cores shared with PostgreSQL and locust."
        )
        if run_sql(args.database_url, "show autovacuum") == "off":
            print(
                "PostgreSQL's autovacuum is off on this server: VACUUM ANALYZE of the tables "
                f"autosave writes runs every {VACUUM_EVERY} s instead, as autovacuum would."
            )
            gevent.spawn(vacuum_every, args.database_url, VACUUM_EVERY)
        if args.soak:
            soak(args, host, env, server.pid)
            return
        if args.only in (None, "workshop"):
            workshops(args, host, env)
        if args.only in (None, "saturation") and not args.phase:
            saturation(args, host)
        if args.only in (None, "live") and not args.phase:
            live(args, host, env)
    finally:
        for process in (worker, server):
            stop(process)


if __name__ == "__main__":
    main()
