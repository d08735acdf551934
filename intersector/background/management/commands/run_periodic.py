"""The periodic sweep: reminders, closing what is due, digests, recovering abandoned tasks.

    python manage.py run_periodic            # one pass (cron / a systemd timer, every few minutes)
    python manage.py run_periodic --every 60 # a pass a minute until stopped (`make run`)

Each app adds its jobs in ``<app>/periodic.py``; every job is safe to run twice at once.
"""

import logging
import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from intersector.background.periodic import periodic_jobs
from intersector.background.tasks import heartbeat_stamp

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the periodic sweep once (or every N seconds with --every)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=float, default=0, help="Seconds between passes (default: one pass)."
        )

    def handle(self, *args, every=0, **options):
        autodiscover_modules("periodic")
        if not every:
            if not self.sweep():
                raise CommandError("Some periodic jobs failed (see the log above).")
            return
        self.stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        try:
            while not self.stopping:
                close_old_connections()
                self.sweep()
                deadline = time.monotonic() + every
                while not self.stopping and time.monotonic() < deadline:
                    time.sleep(min(1.0, every))
        except KeyboardInterrupt:
            pass

    def sweep(self) -> bool:
        now = timezone.now()
        done, failed = [], []
        for name, job in periodic_jobs().items():
            try:
                count = job(now)
            except Exception:
                log.exception("Periodic job %r failed", name)
                failed.append(name)
                continue
            if count:
                done.append(f"{name}: {count}")
        heartbeat_stamp("sweep", now=now)
        if done or failed:
            self.stdout.write(
                f"Sweep at {now:%H:%M:%S}: " + ", ".join(done + [f"{n}: FAILED" for n in failed])
            )
        return not failed

    def _stop(self, *_):
        self.stopping = True
