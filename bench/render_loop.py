"""P7's other process: P6's PDF report rendered back to back until it is stopped.

    DATABASE_URL=postgres://…/bench_db python bench/render_loop.py

bench/load.py runs it beside the P1 load. P6's report is that of a throwaway collaboration of
6 partners with 20 of the questions answered (36 A4 pages as the report stands; built in a
transaction that is rolled back before the first render), rendered as the report worker
renders every job: in a guarded child process at the renderer's CPU priority. Prints a line
per render: pages and seconds.
"""

import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intersector.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from intersector.reports.rendering import render_guarded  # noqa: E402
from intersector.reports.services import current_html  # noqa: E402
from intersector.reports.synthetic import build_synthetic  # noqa: E402


def p6_report_html() -> str:
    with transaction.atomic():
        html = current_html(build_synthetic(partners=6, questions=20), scope="all", paper="a4")
        transaction.set_rollback(True)
    return html


def main() -> None:
    # Stopped with SIGTERM: exit through render_guarded, which kills its child (the child
    # runs in a session of its own, out of reach of a signal to this process group).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    html = p6_report_html()
    while True:
        rendered = render_guarded(html)
        print(f"{rendered.page_count} {rendered.seconds:.2f}", flush=True)


if __name__ == "__main__":
    main()
