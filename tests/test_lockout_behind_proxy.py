"""Sign-in lockout by (client address, e-mail), with the client's real address behind a proxy."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.world import make_user

PASSWORD = "correct-horse-battery-staple"
PROXY = "10.0.0.2"  # every request reaches the app from the reverse proxy


@pytest.fixture
def behind_one_proxy(settings):
    """What TRUSTED_PROXY_COUNT=1 sets (intersector/settings.py)."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    settings.AXES_IPWARE_PROXY_ORDER = "left-most"
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.IPWARE_STRICT = False
    return settings


def sign_in(client, email, password, *, forwarded_for):
    return client.post(
        reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def lock_out(client, email, *, forwarded_for, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, email, "wrong", forwarded_for=forwarded_for)
    assert response.status_code == 429
    return response


def test_one_clients_failures_do_not_lock_the_account_from_another_address(db, behind_one_proxy):
    user = make_user("person@test.example")
    user.set_password(PASSWORD)
    user.save()
    attacker, owner = Client(), Client()
    lock_out(
        attacker, "person@test.example", forwarded_for="203.0.113.5", settings=behind_one_proxy
    )
    # The attacker stays locked out, even with the right password …
    assert sign_in(attacker, user.email, PASSWORD, forwarded_for="203.0.113.5").status_code == 429
    # … also when writing another address into X-Forwarded-For (the proxy appends the real one).
    spoofed = "198.51.100.7, 203.0.113.5"
    assert sign_in(attacker, user.email, PASSWORD, forwarded_for=spoofed).status_code == 429
    # The owner, through the same proxy from their own address, signs in.
    response = sign_in(owner, user.email, PASSWORD, forwarded_for="198.51.100.7")
    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(user.pk)


def test_the_client_address_is_the_proxys_entry_behind_two_proxies(rf, behind_one_proxy):
    from axes.helpers import get_client_ip_address

    behind_one_proxy.AXES_IPWARE_PROXY_COUNT = 1  # TRUSTED_PROXY_COUNT=2: a CDN, then nginx
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5, 192.0.2.1")
    assert get_client_ip_address(request) == "203.0.113.5"


def test_without_a_proxy_the_header_is_ignored(rf, settings):
    from axes.helpers import get_client_ip_address

    assert settings.TRUSTED_PROXY_COUNT == 0
    request = rf.get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert get_client_ip_address(request) == "203.0.113.5"


def test_the_locked_out_page_says_how_long_to_wait_and_offers_password_reset(db, behind_one_proxy):
    make_user("person@test.example")
    page = lock_out(
        Client(), "person@test.example", forwarded_for="203.0.113.5", settings=behind_one_proxy
    ).content.decode()
    assert "Try again in 15 minutes." in page
    assert reverse("password_reset") in page


def test_a_new_password_from_the_reset_link_lifts_the_lockout(db, behind_one_proxy):
    user = make_user("person@test.example")
    client = Client()
    lock_out(client, user.email, forwarded_for="203.0.113.5", settings=behind_one_proxy)
    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"https?://\S+/password/reset/\S+/", mail.outbox[-1].body).group(0)
    form = client.get("/" + link.split("/", 3)[3], follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert sign_in(client, user.email, PASSWORD, forwarded_for="203.0.113.5").status_code == 302


def test_trusted_proxy_count_sets_what_the_fixture_above_assumes():
    import os
    import subprocess
    import sys

    code = (
        "import intersector.settings as s; print(s.AXES_IPWARE_PROXY_COUNT, "
        "s.AXES_IPWARE_META_PRECEDENCE_ORDER[0], s.IPWARE_STRICT)"
    )
    env = {**os.environ, "TRUSTED_PROXY_COUNT": "1", "DEBUG": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["0", "HTTP_X_FORWARDED_FOR", "False"]
