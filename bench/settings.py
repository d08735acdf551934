"""The app's settings plus the benchmark's reference views (bench/reference.py).

bench/serving.py serves the app with ``DJANGO_SETTINGS_MODULE=bench.settings``; the app's
own URLs never mount anything for benchmarks.
"""

from intersector.settings import *  # noqa: F403

ROOT_URLCONF = "bench.reference"
