"""gunicorn settings for `make serve` and production. Each value can be overridden by the
GUNICORN_* environment variable of the same name (e.g. GUNICORN_WORKERS=8)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the app is request/response with short database transactions. Two per core
# plus one keeps the CPU busy while another worker waits on PostgreSQL.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
# Recycle workers now and then so slow memory growth can never accumulate (soak target S1),
# but rarely: a new worker costs about a second of CPU and its first requests are slow
# (templates compile), which under a 150-person workshop every ~80 s showed in the p99.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 10000))
max_requests_jitter = 1000
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
