"""Render queued PDF reports, one at a time, each in a child process with a timeout.

Run one (or a few, on other machines) next to the web servers:
    python manage.py report_worker
Its CPU share and memory limit come from its service unit (README, Deployment).
"""

import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from intersector.reports import services
from intersector.reports.rendering import pdf_from_html


class Command(BaseCommand):
    help = "Render queued PDF reports (with a timeout per report)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Render what is queued, then stop.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")

    def handle(self, *args, once=False, interval=1.0, **options):
        self.stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        # Warm up in this long-lived process: every forked renderer starts with WeasyPrint
        # imported and the fonts loaded.
        pdf_from_html("<html lang='en'><title>warm-up</title><p>warm-up</p></html>")
        self.stdout.write(
            f"Report worker ready (timeout {settings.REPORTS_RENDER_TIMEOUT} s per report)."
        )
        stale = services.report_jobs_requeue_stale(
            older_than_seconds=2 * settings.REPORTS_RENDER_TIMEOUT
        )
        if stale:
            self.stdout.write(f"Marked {stale} abandoned job(s) as failed.")
        try:
            while not self.stopping:
                if not connection.in_atomic_block:  # (tests run inside a transaction)
                    close_old_connections()
                job = services.report_job_next()
                if job is None:
                    if once:
                        break
                    time.sleep(interval)
                    continue
                started = time.monotonic()
                services.report_job_run(job=job)
                job.refresh_from_db(fields=["status", "page_count", "error"])
                self.stdout.write(
                    f"Job {job.pk} ({job.collaboration_id}/{job.scope}/{job.paper}): {job.status} "
                    f"in {time.monotonic() - started:.2f} s"
                    + (f", {job.page_count} pages" if job.page_count else "")
                    + (f" — {job.error}" if job.error else "")
                )
        except KeyboardInterrupt:
            pass
        self.stdout.write("Report worker stopped.")

    def _stop(self, *_):
        self.stopping = True
