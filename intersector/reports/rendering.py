"""HTML → PDF, and the guard rails around it.

``report_html`` renders the same templates the browser shows. ``pdf_from_html`` is the
only place WeasyPrint runs: our restricted fetcher, no presentational hints, PDF/UA-1,
nothing attached. ``render_guarded`` runs it in a child process with a timeout.
"""

from __future__ import annotations

import ctypes
import hashlib
import multiprocessing
import os
import signal
import sys
import time
from dataclasses import dataclass

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


def _die_with_parent(parent_pid: int) -> None:
    """The renderer never outlives its worker, even one killed with ``kill -9`` (which runs
    no ``finally``): Linux sends it SIGKILL when the worker dies."""
    if sys.platform == "linux":
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the worker died before the line above
        os._exit(1)


def _child(conn, html: str, pdf_variant: str | None, parent_pid: int) -> None:
    """Runs in the forked child: render, send the result (or the error) back."""
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops the worker, which kills us
    try:
        conn.send(("ok", pdf_from_html(html, pdf_variant=pdf_variant)))
    except Exception as exc:  # anything WeasyPrint raises ends up on the job, not in a log only
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _context():
    # fork: the child starts warm (WeasyPrint imported, fonts loaded) and never touches
    # the database. Platforms without fork fall back to spawn.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _took_too_long(timeout: float) -> RenderFailed:
    return RenderFailed(
        _(
            "The report took longer than %(seconds)s seconds to prepare and was "
            "stopped. Try a single stage, or shorten very long texts or tables."
        )
        % {"seconds": f"{timeout:g}"}
    )


def render_guarded(
    html: str, *, timeout: float | None = None, pdf_variant: str | None = PDF_VARIANT
) -> RenderedPdf:
    """Render in a child process, killed when it is not done after ``timeout`` seconds.

    A thread could not be stopped; a process can. Its CPU share and memory are the report
    worker's service unit's business (README, Deployment): a child killed for its memory
    fails the job like any other crash.
    """
    timeout = settings.REPORTS_RENDER_TIMEOUT if timeout is None else timeout
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(sender, html, pdf_variant, os.getpid()), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise _took_too_long(timeout)
        try:
            status, payload = receiver.recv()
        except EOFError:
            process.join(5)
            raise RenderFailed(
                _(
                    "The report could not be prepared: the rendering process stopped "
                    "unexpectedly (exit code %(code)s)."
                )
                % {"code": process.exitcode}
            ) from None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
        process.close()
    if status == "ok":
        return payload
    raise RenderFailed(_("The report could not be prepared: %(error)s") % {"error": payload})
