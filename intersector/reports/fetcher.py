"""WeasyPrint's only way to the outside world: our own static files, nothing else.

WeasyPrint's default fetcher opens http(s), ftp, file and data URLs and follows redirects,
so a report that somehow contained ``<img src="http://169.254.169.254/">`` or
``<link rel=attachment href="file:///etc/passwd">`` would fetch or embed it. Every
report is rendered with ``base_url=REPORT_BASE_URL``; a relative link such as
``/static/css/report.css`` becomes ``https://intersector.invalid/static/css/report.css``,
which this fetcher maps to the file found by django.contrib.staticfiles (or in
STATIC_ROOT). Every other URL is refused without opening anything; nothing is ever
requested over the network and no redirect can be followed.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

REPORT_HOST = "intersector.invalid"  # .invalid can never resolve (RFC 2606)
REPORT_BASE_URL = f"https://{REPORT_HOST}/"
ALLOWED_SUFFIXES = {".css", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"}


class FetchRefused(ValueError):
    """WeasyPrint catches this, logs a warning and renders without the resource."""


def _static_prefix() -> str:
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    return prefix if prefix.endswith("/") else prefix + "/"


def static_file_for(url: str) -> Path | None:
    """The static file a report URL names, or None when it names anything else."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme != "https" or parts.netloc != REPORT_HOST or parts.query:
        return None
    prefix = _static_prefix()
    if not parts.path.startswith(prefix):
        return None
    relative = unquote(parts.path[len(prefix) :])
    pure = PurePosixPath(relative)
    if (
        not relative
        or "\\" in relative
        or "\x00" in relative
        or pure.is_absolute()
        or any(part in ("..", ".", "") for part in relative.split("/"))
        or pure.suffix.lower() not in ALLOWED_SUFFIXES
    ):
        return None
    found = finders.find(relative)
    if found:
        return Path(found).resolve()
    if settings.STATIC_ROOT:
        root = Path(settings.STATIC_ROOT).resolve()
        candidate = (root / relative).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    return None


class StaticOnlyURLFetcher(URLFetcher):
    """Serves our static files; refuses (and records) every other URL."""

    def __init__(self) -> None:
        super().__init__(
            timeout=1, allowed_protocols=("https",), allow_redirects=False, fail_on_errors=False
        )
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = static_file_for(url)
        if path is None:
            self.refused.append(url)
            raise FetchRefused(f"Reports may only use Intersector's own static files: {url!r}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.served.append(url)
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
