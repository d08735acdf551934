"""P7's other process: reports rendered back to back until it is stopped.

    DATABASE_URL=postgres://…/bench_db python bench/render_loop.py

bench/load.py runs it beside the P1 load. Two reports take turns, each of a throwaway
collaboration of 6 partners (built in a transaction that is rolled back before the first
render): P7's own, about 20 A4 pages (5 questions answered; the records of every stage
alone fill 17 pages), and P6's, 20 questions answered (36 pages as the report stands). Each
is rendered as the report worker renders every job: in a guarded child process at the
renderer's CPU priority. Prints a line per render: pages and seconds.
"""

import itertools
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intersector.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from bench.synthetic import build_synthetic  # noqa: E402
from intersector.reports.rendering import render_guarded  # noqa: E402
from intersector.reports.services import current_html  # noqa: E402

P7_QUESTIONS = 5  # 21 pages
P6_QUESTIONS = 20  # 36 pages


def report_html(questions: int) -> str:
    with transaction.atomic():
        html = current_html(
            build_synthetic(partners=6, questions=questions), scope="all", paper="a4"
        )
        transaction.set_rollback(True)
    return html


def main() -> None:
    # Stopped with SIGTERM: exit through render_guarded, which kills its child (the child
    # runs in a session of its own, out of reach of a signal to this process group).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    reports = [report_html(P7_QUESTIONS), report_html(P6_QUESTIONS)]
    for html in itertools.cycle(reports):
        rendered = render_guarded(html)
        print(f"{rendered.page_count} {rendered.seconds:.2f}", flush=True)


if __name__ == "__main__":
    main()
