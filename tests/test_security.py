"""Production hardening: check --deploy, headers and cookies, sign-in throttling,
password reset by e-mail, and the error pages."""

import json
import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD, make_user
from tests.test_authorization_matrix import (
    CASES,
    concrete_path,
    make_clients,
    world_in_outer_transaction,
)

ROOT = Path(__file__).resolve().parents[1]


def production_env() -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",  # set for Playwright in tests/conftest.py
        }
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="intersector.example.org",
        CSRF_TRUSTED_ORIGINS="https://intersector.example.org",
        DJANGO_SETTINGS_MODULE="intersector.settings",
    )
    return env


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


SECURITY_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_NAME",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "X_FRAME_OPTIONS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
]


@pytest.fixture(scope="session")
def production_security_settings() -> dict:
    """The security settings exactly as production (DEBUG=0) computes them."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{k: getattr(settings, k) for k in {SECURITY_SETTINGS!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=production_env(), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    if values["SECURE_PROXY_SSL_HEADER"]:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def production(settings, production_security_settings):
    for key, value in production_security_settings.items():
        setattr(settings, key, value)
    return settings


def test_production_settings_use_host_prefixed_secure_cookies(production_security_settings):
    s = production_security_settings
    assert s["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert s["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"]
    assert s["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert s["SECURE_HSTS_INCLUDE_SUBDOMAINS"]


def html_pages() -> list[tuple[object, str]]:
    """(case, persona) for every concrete URL that answers GET with a page for someone."""
    pages = []
    for case in CASES:
        for persona in ("facilitator", "anonymous"):
            if case.rule.get[persona] == 200:
                pages.append((case, persona))
                break
    return pages


HTML_PAGES = html_pages()


def assert_security_headers(response, what: str, *, nonce: bool = True) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives.get("object-src") == ["'none'"], what
    assert directives.get("base-uri") == ["'none'"], what
    assert directives.get("frame-ancestors") == ["'none'"], what
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, what
    assert "'self'" in directives.get("script-src", []), what
    if nonce:
        assert any(src.startswith("'nonce-") for src in directives["script-src"]), what
    hsts = response.headers.get("Strict-Transport-Security", "")
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 31_536_000, what
    assert "includeSubDomains" in hsts, what
    assert response.headers.get("X-Content-Type-Options") == "nosniff", what
    assert response.headers.get("X-Frame-Options") == "DENY", what
    assert response.headers.get("Referrer-Policy") == "same-origin", what
    assert response.headers.get("Cross-Origin-Opener-Policy") == "same-origin", what


@pytest.fixture(scope="class")
def shared_world(django_db_setup, django_db_blocker):
    yield from world_in_outer_transaction(django_db_blocker)


class TestEveryHtmlPage:
    """One world for all pages (its transaction is rolled back after the class)."""

    @pytest.mark.parametrize(
        ("case", "persona"), HTML_PAGES, ids=[f"{c.id}-{p}" for c, p in HTML_PAGES]
    )
    def test_every_html_page_sends_the_security_headers(
        self, shared_world, db, production, settings, case, persona
    ):
        key = case.pattern.key
        world = shared_world
        path = concrete_path(case.pattern, case.rule, world)
        client = make_clients(world)[persona]  # after `production`: its cookie names
        response = client.get(path, secure=True)
        assert response.status_code == 200
        if not response["Content-Type"].startswith("text/html"):
            pytest.skip("not an HTML page")
        if key.startswith("admin"):
            # Django's admin: its own templates, only external scripts, so no nonce needed.
            assert_security_headers(response, f"{path} as {persona}", nonce=False)
            return
        body = response.content.decode()
        scripts = re.findall(r"<script\b[^>]*>", body)
        # A page without scripts (the printable report) needs no nonce: 'self' alone is stricter.
        assert_security_headers(response, f"{path} as {persona}", nonce=bool(scripts))
        # Every <script> carries the nonce the header allows; no inline scripts or styles.
        if scripts:
            nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        for tag in scripts:
            assert f'nonce="{nonce}"' in tag and "src=" in tag, tag
        assert not re.search(r"\sstyle=", body)
        assert not re.search(r"\son[a-z]+=", body)


def test_error_pages_send_the_security_headers_too(db, production, facilitator_client):
    response = facilitator_client.get("/c/no-such-collaboration/", secure=True)
    assert response.status_code == 404
    assert_security_headers(response, "404")


def test_session_and_csrf_cookies_are_secure_httponly_and_host_prefixed(db, production):
    make_user("person@test.example")
    client = Client()
    page = client.get(reverse("login"), secure=True)
    csrf = page.cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    assert csrf["path"] == "/" and not csrf["domain"]
    response = client.post(
        reverse("login"),
        {"username": "person@test.example", "password": PASSWORD},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert session["path"] == "/" and not session["domain"]


def test_plain_http_is_redirected_to_https_in_production(db, production):
    response = Client().get(reverse("login"))
    assert response.status_code == 301
    assert response.url.startswith("https://")


# --- Sign-in throttling ------------------------------------------------------------------------


def sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_after_n_failures_even_the_right_password_is_refused(db, settings):
    make_user("person@test.example")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "person@test.example", "wrong").status_code == 200
    locked = sign_in(client, "person@test.example", "wrong")  # the N-th failure locks
    assert locked.status_code == 429
    response = sign_in(client, "Person@Test.example", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_after_the_cool_off_the_right_password_works_again(db, settings):
    from axes.models import AccessAttempt
    from django.utils import timezone

    make_user("person@test.example")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "person@test.example", "wrong")
    assert sign_in(client, "person@test.example", PASSWORD).status_code == 429
    # Time passes: the failures are now older than the cool-off.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert sign_in(client, "person@test.example", PASSWORD).status_code == 302


def test_failures_below_the_limit_do_not_lock(db, settings):
    make_user("person@test.example")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "person@test.example", "wrong")
    assert sign_in(client, "person@test.example", PASSWORD).status_code == 302


def test_throttling_numbers_are_what_the_readme_says(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    readme = (ROOT / "README.md").read_text()
    assert "5 failed" in readme and "15 minutes" in readme


# --- Password reset by e-mail ------------------------------------------------------------------


def test_password_reset_email_link_sets_a_new_password(db):
    user = make_user("person@test.example")
    client = Client()
    response = client.post(reverse("password_reset"), {"email": "person@test.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    new = "a-brand-new-passphrase-2026"
    done = client.post(set_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    # The link works once.
    assert "already been used" in client.get(link, follow=True).content.decode()


def test_password_reset_for_unknown_address_sends_nothing_and_reveals_nothing(db):
    response = Client().post(reverse("password_reset"), {"email": "nobody@test.example"})
    assert response.status_code == 302
    assert mail.outbox == []


# --- Error pages ------------------------------------------------------------------------------


def test_404_page_is_in_the_products_style(db, facilitator_client):
    response = facilitator_client.get("/c/no-such-collaboration/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "We cannot find that page" in body and body.count("<h1") == 1
    assert 'class="site-header"' in body


def test_403_page_is_in_the_products_style(observer_client, collab):
    response = observer_client.get(reverse("collaborations:partner-edit", args=[collab.slug, 1]))
    assert response.status_code == 403
    assert "Your role does not allow this" in response.content.decode()


def test_500_page_renders_without_a_request_context():
    from django.template import loader

    body = loader.get_template("500.html").render()
    assert "Something went wrong" in body and body.count("<h1") == 1
    assert "<script" not in body


def test_a_crashing_view_answers_with_the_500_page(db, settings):
    from django.urls import path

    def boom(request):
        raise RuntimeError("boom")

    settings.ROOT_URLCONF = type(
        "urls", (), {"urlpatterns": [path("boom/", boom)], "handler500": None}
    )
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
