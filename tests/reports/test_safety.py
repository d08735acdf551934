"""User text reaches the PDF as text, and WeasyPrint fetches nothing but our static files."""

import http.server
import threading
from pathlib import Path

import pytest
from django.conf import settings

from intersector.reports.fetcher import (
    REPORT_BASE_URL,
    FetchRefused,
    StaticOnlyURLFetcher,
    static_file_for,
)
from intersector.reports.rendering import pdf_from_html
from tests.conftest import make_partner

from .helpers import open_pdf, pdf_text, render


@pytest.fixture
def trap_server():
    """A local HTTP server that records every request it receives."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(302)
            self.send_header("Location", "file:///etc/hostname")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def hostile_texts(base):
    return [
        f'<img src="{base}/img">',
        '<link rel=attachment href="file:///etc/passwd">',
        f"<style>@import url({base}/css);</style>",
        '<img src="http://169.254.169.254/latest/meta-data/">',
        f'<link rel="stylesheet" href="{base}/sheet">',
        '<object data="file:///etc/passwd"></object>',
    ]


def test_hostile_user_text_is_printed_literally_and_fetches_nothing(collab, trap_server):
    base, hits = trap_server
    texts = hostile_texts(base)
    collab.problem_statement = "\n".join(texts)
    collab.context = f"<iframe src='{base}/frame'></iframe> <svg><image href='{base}/svg'/></svg>"
    collab.save()
    make_partner(collab, f'<img src="{base}/partner">')
    rendered = render(collab)
    assert hits == []
    text = pdf_text(rendered.pdf)
    assert f'<img src="{base}/img">' in text
    assert "<link rel=attachment" in text
    assert "@import url(" in text
    assert "169.254.169.254" in text
    assert f'<img src="{base}/partner">' in text
    assert b"/EmbeddedFile" not in rendered.pdf
    pdf = open_pdf(rendered.pdf)
    assert "/Names" not in pdf.Root or "/EmbeddedFiles" not in pdf.Root.Names


def test_even_raw_html_in_a_template_could_not_fetch_or_embed(trap_server):
    """Defence in depth: if markup ever slipped past escaping, the fetcher still refuses it."""
    base, hits = trap_server
    html = (
        "<html lang=en><title>t</title>"
        f"<link rel=stylesheet href='{base}/sheet.css'>"
        "<link rel=attachment href='file:///etc/passwd'>"
        f"<style>@import url('{base}/import.css'); p {{ background: url({base}/bg.png) }}</style>"
        f"<p><img src='{base}/img.png'><img src='http://169.254.169.254/'>"
        "<img src='file:///etc/hostname'><img src='data:image/svg+xml,<svg/>'>"
        "<a rel=attachment href='file:///etc/passwd'>x</a>"
        "<img src='/static/../../../../etc/passwd'><img src='/static/%2e%2e/%2e%2e/etc/passwd'>hello</p>"
    )
    rendered = pdf_from_html(html)
    assert hits == []
    assert b"/EmbeddedFile" not in rendered.pdf
    assert "root:" not in pdf_text(rendered.pdf)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://169.254.169.254/",
        "https://example.org/static/css/report.css",
        "file:///etc/passwd",
        "data:text/css,p{}",
        "ftp://example.org/x.css",
        REPORT_BASE_URL + "static/../intersector/settings.py",
        REPORT_BASE_URL + "static/%2e%2e/intersector/settings.py",
        REPORT_BASE_URL + "static/css/..%2f..%2fmanage.py",
        REPORT_BASE_URL + "static//etc/passwd",
        REPORT_BASE_URL + "static/css/report.css?x=1",
        REPORT_BASE_URL + "etc/passwd",
        REPORT_BASE_URL + "static/js/app.js",  # not a type reports need
    ],
)
def test_fetcher_refuses_everything_but_our_static_files(url):
    fetcher = StaticOnlyURLFetcher()
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_serves_our_stylesheet():
    fetcher = StaticOnlyURLFetcher()
    response = fetcher.fetch(REPORT_BASE_URL + "static/css/report.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_fetcher_serves_collected_static_files_only_inside_static_root(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STATICFILES_DIRS = []
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "report.abc123.css").write_text("p {}")
    assert static_file_for(REPORT_BASE_URL + "static/css/report.abc123.css") == (
        tmp_path / "css" / "report.abc123.css"
    )
    outside = tmp_path.parent / "outside.css"
    outside.write_text("p {}")
    (tmp_path / "css" / "link.css").symlink_to(outside)
    assert static_file_for(REPORT_BASE_URL + "static/css/link.css") is None


def test_report_templates_never_bypass_autoescaping():
    folder = Path(settings.BASE_DIR) / "templates" / "reports"
    offenders = [
        str(path.relative_to(folder))
        for path in folder.rglob("*.html")
        if "|safe" in path.read_text().replace(" ", "")
        or "autoescapeoff" in path.read_text().replace(" ", "")
        or "safeseq" in path.read_text()
    ]
    assert offenders == []
