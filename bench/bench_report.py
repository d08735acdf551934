"""Print how fast reports render (P6, P6b, P6c and our overhead over bare WeasyPrint).

.venv/bin/python bench/bench_report.py                 # the demo collaboration
.venv/bin/python bench/bench_report.py some-slug -n 7  # any collaboration, median of 7
.venv/bin/python bench/bench_report.py --synthetic 6 --questions 20   # a throwaway collaboration

``--synthetic N`` builds a collaboration with N partners, every one of the 90 questions
answered by each partner and agreed, and records in every stage, inside a transaction that
is rolled back afterwards (nothing stays in the database). With all 90 questions answered
each partner adds about 15 A4 pages; 6 partners × 20 questions give ~20 pages (P6) and
6 partners × 65 questions ~50 (P6b).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intersector.settings")

import django

django.setup()

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from weasyprint import HTML

from intersector.collaborations.models import Collaboration
from intersector.reports.rendering import PDF_VARIANT, pdf_from_html, render_guarded, report_html
from intersector.reports.selectors import build_report

DEMO_SLUG = "riverton-youth-jobs-compact"


def _peak_rss_mb_of_child(html: str) -> float:
    """Peak RSS of a guarded rendering process, measured inside that process."""
    import multiprocessing
    import resource

    def run(conn):
        pdf_from_html(html)
        conn.send(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        conn.close()

    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=run, args=(sender,))
    process.start()
    value = receiver.recv()
    process.join()
    return value


class Command(BaseCommand):
    help = "Benchmark PDF report rendering for one or more collaborations."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", default=[])
        parser.add_argument("-n", "--repeat", type=int, default=5)
        parser.add_argument("--paper", default="a4")
        parser.add_argument(
            "--synthetic",
            type=int,
            action="append",
            default=[],
            metavar="N",
            help="Also benchmark a throwaway collaboration with N partners (repeatable).",
        )
        parser.add_argument(
            "--questions",
            type=int,
            default=None,
            help="With --synthetic: how many of the 90 questions are answered (default all).",
        )

    def handle(self, *args, slugs, repeat, paper, synthetic, questions, **options):
        from django.db import transaction

        from bench.synthetic import build_synthetic

        if not slugs and not synthetic:
            slugs = [DEMO_SLUG]
        for n in synthetic:
            with transaction.atomic():
                collaboration = build_synthetic(
                    partners=n, scale=max(3, n // 2), questions=questions
                )
                self.bench(collaboration, repeat=repeat, paper=paper)
                transaction.set_rollback(True)
        for slug in slugs:
            try:
                collaboration = Collaboration.objects.get(slug=slug)
            except Collaboration.DoesNotExist:
                raise CommandError(f"No collaboration {slug!r} (run seed_demo?)") from None
            self.bench(collaboration, repeat=repeat, paper=paper)

    def time_median(self, func, repeat: int) -> float:
        """Median wall time; the CPU time of the same runs is kept in ``self.cpu``.

        Other engineers' tests share this 2-core machine: CPU time (WeasyPrint is
        single-threaded) is the steadier figure for comparing variants under load.
        """
        func()  # warm-up
        samples, cpu = [], []
        for _ in range(repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            func()
            samples.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        self.cpu = statistics.median(cpu)
        return statistics.median(samples)

    def bench(self, collaboration, *, repeat: int, paper: str) -> None:
        def ours():
            return pdf_from_html(
                report_html(build_report(collaboration, scope="all", paper=paper, for_pdf=True))
            )

        html = report_html(build_report(collaboration, scope="all", paper=paper, for_pdf=True))
        pages = pdf_from_html(html).page_count
        t_html = self.time_median(
            lambda: report_html(
                build_report(collaboration, scope="all", paper=paper, for_pdf=True)
            ),
            repeat,
        )
        t_ours = self.time_median(ours, repeat)
        c_ours = self.cpu
        t_plain = self.time_median(lambda: pdf_from_html(html, pdf_variant=None), repeat)
        c_plain = self.cpu
        t_ua = self.time_median(lambda: pdf_from_html(html), repeat)
        c_ua = self.cpu
        # Bare WeasyPrint on the very same HTML string (default fetcher, same variant): the
        # baseline our templates, fetcher and bookkeeping are measured against.
        from intersector.reports.fetcher import REPORT_BASE_URL, StaticOnlyURLFetcher

        t_bare = self.time_median(
            lambda: HTML(
                string=html, base_url=REPORT_BASE_URL, url_fetcher=StaticOnlyURLFetcher()
            ).write_pdf(pdf_variant=PDF_VARIANT),
            repeat,
        )
        c_bare = self.cpu
        t_guarded = self.time_median(lambda: render_guarded(html), max(1, repeat // 2))
        rss = _peak_rss_mb_of_child(html)
        w = self.stdout.write
        w(f"\n{collaboration.title} ({collaboration.slug}), paper {paper}, median of {repeat}")
        w(f"  pages                          {pages}")
        w(f"  HTML (queries + templates)     {t_html * 1000:8.1f} ms")
        w(f"  PDF/UA render, ours end-to-end {t_ours * 1000:8.1f} ms")
        w(f"  ... in a guarded child process {t_guarded * 1000:8.1f} ms (fork + pipe included)")
        w(f"  plain PDF (no variant)         {t_plain * 1000:8.1f} ms")
        w(f"  PDF/UA overhead vs plain       {(t_ua / t_plain - 1) * 100:+8.1f} %   (P6c: ≤ +50 %)")
        w(f"  bare WeasyPrint, same HTML     {t_bare * 1000:8.1f} ms")
        w(f"  our overhead ratio             {t_ours / t_bare:8.2f}     (target ≤ 1.3)")
        w(f"  peak RSS of rendering process  {rss:8.1f} MB  (P6: ≤ 250 MB)")
        w(
            f"  CPU time: ours {c_ours * 1000:.0f} ms, plain {c_plain * 1000:.0f} ms, PDF/UA "
            f"{c_ua * 1000:.0f} ms, bare {c_bare * 1000:.0f} ms → PDF/UA overhead "
            f"{(c_ua / c_plain - 1) * 100:+.1f} %, our ratio {c_ours / c_bare:.2f}"
        )
        w(f"  load average now               {os.getloadavg()[0]:8.2f}  (2 cores shared)")


if __name__ == "__main__":
    Command().run_from_argv([sys.argv[0], "bench_report", *sys.argv[1:]])
