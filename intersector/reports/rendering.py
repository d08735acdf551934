"""HTML → PDF, and the guard rails around it.

``report_html`` renders the same templates the browser shows. ``pdf_from_html`` is the
only place WeasyPrint runs: our restricted fetcher, no presentational hints, PDF/UA-1,
nothing attached. ``render_guarded`` runs it in a child process at a low CPU priority, with
a CPU-time limit (and a wall-clock one, three times as long) and a memory cap, and stops the
child when one is exceeded (P8).
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import multiprocessing
import os
import resource
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .fetcher import REPORT_BASE_URL, StaticOnlyURLFetcher
from .selectors import Report

PDF_VARIANT = "pdf/ua-1"


def report_html(report: Report) -> str:
    return render_to_string("reports/report.html", {"report": report})


def content_hash(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()


@dataclass(frozen=True)
class RenderedPdf:
    pdf: bytes
    page_count: int
    seconds: float


class RenderFailed(Exception):
    """Rendering did not finish; the message is meant for the people waiting for it."""


def pdf_from_html(html: str, *, pdf_variant: str | None = PDF_VARIANT) -> RenderedPdf:
    from weasyprint import HTML

    started = time.perf_counter()
    options = {
        "pdf_variant": pdf_variant,
        "presentational_hints": False,
        "attachments": None,
        "custom_metadata": False,
    }
    document = HTML(
        string=html,
        base_url=REPORT_BASE_URL,
        url_fetcher=StaticOnlyURLFetcher(),
        media_type="print",
    ).render(**options)
    document.metadata.attachments = []  # <link rel=attachment> never becomes an embedded file
    pdf = document.write_pdf(**options)
    return RenderedPdf(
        pdf=pdf, page_count=len(document.pages), seconds=time.perf_counter() - started
    )


def _status_bytes(field: str, pid: int | str = "self") -> int | None:
    """A size from /proc/<pid>/status (Linux), e.g. VmSize or VmRSS; None where there is none."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _address_space_bytes() -> int:
    found = _status_bytes("VmSize")
    return found if found is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# The memory cap counts resident memory, which the parent watches this often. WeasyPrint maps
# about 1.4 times as much address space as it keeps resident (206 pages: +412 MB resident,
# +561 MB mapped), so the child's address space is capped, as a backstop against allocations
# faster than the watch, at this multiple of the cap.
WATCH_EVERY = 0.1
ADDRESS_SPACE_FACTOR = 2


# Linux divides CPU time between sessions first ("autogroups") and by priority only within
# one, so a renderer in the report worker's session still took a fair share of the cores from
# the web workers' session, whatever its nice value or policy.
AUTOGROUP = Path("/proc/self/autogroup")


def run_in_the_background(nice: int) -> None:
    """Lower this process's CPU priority so that web requests sharing its cores run first.

    Niced to at least ``nice`` (a renderer forked from a worker already in the background is
    not niced twice). On Linux also the SCHED_IDLE policy and, for a process that leads a
    session of its own, that session's autogroup at the same nice value: only then do the
    web workers' sessions come first (bench/README.md, P7). A shared session's autogroup is
    left alone: niced, it would slow its other processes too.
    """
    if hasattr(os, "nice"):
        os.nice(max(0, nice - os.nice(0)))
    if hasattr(os, "SCHED_IDLE"):
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    if AUTOGROUP.exists() and os.getsid(0) == os.getpid():
        with contextlib.suppress(OSError):  # autogroups switched off: the rest still applies
            AUTOGROUP.write_text(str(min(nice, 19)))


# The timeout counts the renderer's CPU time: at a low priority beside a busy workshop a
# render waits for the CPU, and only a render that keeps working that long is runaway. The
# wall clock stops one that waits on anything else, at this multiple of the timeout.
WALL_CLOCK_FACTOR = 3


def wall_clock_limit(timeout: float) -> float:
    return timeout * WALL_CLOCK_FACTOR


def _child(
    conn, html: str, memory_bytes: int, pdf_variant: str | None, nice: int, cpu_seconds: int
) -> None:
    """Runs in the forked child: lower priority, cap CPU time and address space, render, send
    the result back."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops the worker, which kills us
    if nice > 0:
        os.setsid()  # a session, and so an autogroup, of its own (forked: never a group leader)
        run_in_the_background(nice)
    # SIGXCPU at the limit ends the process (its default action), without a core file.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        # The backstop counts address space the renderer adds to what it inherited at fork:
        # a threaded parent (runserver, gunicorn threads) already maps hundreds of MB.
        limit = _address_space_bytes() + ADDRESS_SPACE_FACTOR * memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        result = pdf_from_html(html, pdf_variant=pdf_variant)
        conn.send(("ok", result))
    except MemoryError:
        conn.send(("error", "memory"))
    except Exception as exc:  # anything WeasyPrint raises ends up on the job, not in a log only
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _context():
    # fork: the child starts warm (WeasyPrint imported, fonts loaded) and never touches
    # the database. Platforms without fork fall back to spawn.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _needed_too_much(memory_mb: int) -> RenderFailed:
    return RenderFailed(
        _("The report needed more than %(mb)s MB of memory and was stopped.") % {"mb": memory_mb}
    )


def _took_too_long(timeout: float) -> RenderFailed:
    return RenderFailed(
        _(
            "The report took longer than %(seconds)s seconds to prepare and was "
            "stopped. Try a single stage, or shorten very long texts or tables."
        )
        % {"seconds": f"{timeout:g}"}
    )


def render_guarded(
    html: str,
    *,
    timeout: float | None = None,
    memory_mb: int | None = None,
    pdf_variant: str | None = PDF_VARIANT,
) -> RenderedPdf:
    """Render in a child process; stop it after ``timeout`` s of CPU time (or
    ``wall_clock_limit(timeout)`` s in all) or when it holds ``memory_mb`` MB more resident
    memory than when it started."""
    timeout = settings.REPORTS_RENDER_TIMEOUT if timeout is None else timeout
    memory_mb = settings.REPORTS_RENDER_MEMORY_MB if memory_mb is None else memory_mb
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(
        target=_child,
        args=(
            sender,
            html,
            memory_mb * 1024 * 1024,
            pdf_variant,
            settings.REPORTS_RENDER_NICE,
            max(1, math.ceil(timeout)),
        ),
        daemon=True,
    )
    process.start()
    sender.close()
    deadline = time.monotonic() + wall_clock_limit(timeout)
    # What the child holds when first seen: after fork it holds less than the parent (pages
    # of files are mapped in again only when touched), and a renderer only grows.
    resident_at_start = None
    try:
        while not receiver.poll(WATCH_EVERY):
            if time.monotonic() > deadline:
                raise _took_too_long(timeout)
            resident = _status_bytes("VmRSS", process.pid)
            if resident is None:  # no /proc, or the child has just exited
                continue
            resident_at_start = min(resident, resident_at_start or resident)
            if resident - resident_at_start > memory_mb * 1024 * 1024:
                raise _needed_too_much(memory_mb)
        try:
            status, payload = receiver.recv()
        except EOFError:
            process.join(5)
            if process.exitcode == -signal.SIGXCPU:
                raise _took_too_long(timeout) from None
            raise RenderFailed(
                _(
                    "The report could not be prepared: the rendering process stopped "
                    "unexpectedly (exit code %(code)s), most likely because it needed more "
                    "than %(mb)s MB of memory."
                )
                % {"code": process.exitcode, "mb": memory_mb}
            ) from None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
        process.close()
    if status == "ok":
        return payload
    if payload == "memory":
        raise _needed_too_much(memory_mb)
    raise RenderFailed(_("The report could not be prepared: %(error)s") % {"error": payload})


def child_pids() -> list[int]:
    """Live children of this process (for tests and the worker's shutdown)."""
    return [p.pid for p in multiprocessing.active_children()]
