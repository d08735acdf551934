"""Playwright + Debian's Chromium against pytest-django's live server.

Chromium is looked up at CHROMIUM_PATH (default /usr/bin/chromium). Where it is missing the
browser tests are skipped, except under CI=true, where a missing browser is a failure.
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class TakingTurnsWSGIServer(ThreadedWSGIServer):
    """The live server, whose requests take turns on an in-memory SQLite database.

    There every request thread is handed the test's one connection (``connections_override``),
    so two requests at once — a page's live poll beside a partner's response — interleave
    their statements on it and SQLite refuses one ("database table is locked"). On
    PostgreSQL each thread has its own connection and requests run side by side, as they do
    under gunicorn."""

    def set_app(self, application):
        if not self.connections_override:
            return super().set_app(application)
        turn = threading.Lock()

        def one_at_a_time(environ, start_response):
            with turn:
                return application(environ, start_response)

        return super().set_app(one_at_a_time)


LiveServerThread.server_class = TakingTurnsWSGIServer


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI must run the browser tests.")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Django keeps a connection per context (asgiref's Local is a context variable), and
    # starting or stopping Playwright's sync API switches the test thread's context: a
    # connection opened on one side is out of reach on the other and stays open until it is
    # garbage collected, so the test database sometimes could not be dropped at the end
    # ("is being accessed by other users"). Close them before each switch.
    connections.close_all()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        connections.close_all()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh contexts (separate cookie jars); ``new_page()`` for a second person."""
    contexts = []

    def open_page(java_script_enabled: bool = True):
        context = browser.new_context(
            base_url=live_server.url, java_script_enabled=java_script_enabled
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)


def axe_violations(page, tags=("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")):
    """Run axe-core (from node_modules) in the page; return its violations."""
    if not AXE_JS.exists():
        pytest.fail("axe-core is missing: run `npm install` (make test does).")
    # Evaluated through the DevTools protocol rather than injected as an inline <script>:
    # the Content-Security-Policy (rightly) blocks inline scripts without our nonce.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined;")
    # Only violations are read: axe skips building the node details of passes and the rest.
    result = page.evaluate(
        "async (tags) => await axe.run(document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        list(tags),
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]
