"""The JSON export of scale-test as a facilitator gets it: the request, the worker's build,
the download. In-process (Django's test client; the worker's task called directly).

    DATABASE_URL=postgres://…/bench_db python bench/bench_export.py [--repeat 5]

Needs ``bench/seed_scale.py`` (slug scale-test). The request only queues a job and
redirects to its page; the worker writes the file; the page then offers it.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intersector.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from intersector.accounts.models import User  # noqa: E402
from intersector.reports import services  # noqa: E402
from intersector.reports.models import DataJob  # noqa: E402

SLUG = "scale-test"
FACILITATOR = "scale-facilitator-0@example.org"


def one_export(client: Client) -> tuple[float, float, float, int]:
    started = time.perf_counter()
    response = client.post(reverse("reports:export-json", kwargs={"slug": SLUG}))
    requested = time.perf_counter()
    assert response.status_code == 302, response.status_code
    job = DataJob.objects.filter(kind=DataJob.Kind.EXPORT).latest("pk")
    services.data_job_run(job_id=job.pk)
    built = time.perf_counter()
    download = client.get(reverse("reports:data-job-download", kwargs={"slug": SLUG, "pk": job.pk}))
    body = b"".join(download.streaming_content) if download.streaming else download.content
    downloaded = time.perf_counter()
    assert download.status_code == 200, download.status_code
    return requested - started, built - requested, downloaded - built, len(body)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(User.objects.get(email=FACILITATOR))
    one_export(client)  # warm up
    runs = [one_export(client) for _ in range(args.repeat)]
    print(f"load average: {os.getloadavg()}")
    print(f"export.json of {SLUG}: {runs[-1][3] / 1024:.0f} KiB")
    for name, index in (("request (queues the job)", 0), ("worker build", 1), ("download", 2)):
        values = [run[index] * 1000 for run in runs]
        print(
            f"  {name:26} median {statistics.median(values):6.0f} ms"
            f" (min {min(values):.0f}, max {max(values):.0f})"
        )


if __name__ == "__main__":
    main()
