"""Shared fixtures: named personas with signed-in clients (built with ``tests/world.py``).

Personas: ``facilitator``, ``partner_user`` (speaks for ``partner_org``), ``observer`` —
all members of ``collab`` — and ``outsider``, who facilitates a different collaboration.
"""

import os

import pytest
from django.conf import settings
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from intersector.collaborations.models import Collaboration, Partner, Role, Sector
from tests.world import (  # noqa: F401  (re-exported: test files still import them from here)
    PASSWORD,
    client_for,
    make_collaboration,
    make_member,
    make_partner,
    make_user,
)

# Playwright's sync API keeps an event loop running in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    # Tests serve static files through the finders (the live server's handler), never a
    # collected copy: WhiteNoise reads the whole of STATIC_ROOT each time a test client
    # loads the middleware, so a checkout that ran collectstatic (`make serve`, the
    # benchmarks) paid a scan of it on every test's first request.
    settings.STATIC_ROOT = None


# Property-based tests: a few examples each on a maintainer's machine, the full run in CI
# (.ci/run sets CI=true). HYPOTHESIS_PROFILE picks one; HYPOTHESIS_EXAMPLES sets the count.
_HYPOTHESIS_COMMON = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
_examples = os.environ.get("HYPOTHESIS_EXAMPLES")
hypothesis_settings.register_profile("ci", max_examples=int(_examples or 25), **_HYPOTHESIS_COMMON)
hypothesis_settings.register_profile("dev", max_examples=int(_examples or 5), **_HYPOTHESIS_COMMON)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").lower() == "true" else "dev")
)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def collab(db) -> Collaboration:
    return make_collaboration("Youth Jobs Compact", slug="youth-jobs")


@pytest.fixture
def partner_org(collab) -> Partner:
    return make_partner(collab, "Bright Futures", sector=Sector.NONPROFIT)


@pytest.fixture
def other_partner_org(collab) -> Partner:
    return make_partner(collab, "Northfield Manufacturing", sector=Sector.BUSINESS)


@pytest.fixture
def facilitator(collab):
    user = make_user("facilitator@test.example", "Fran Facilitator")
    make_member(user, collab, Role.FACILITATOR)
    return user


@pytest.fixture
def partner_user(collab, partner_org):
    user = make_user("partner@test.example", "Pat Partner")
    make_member(user, collab, Role.PARTNER, partner_org)
    return user


@pytest.fixture
def observer(collab):
    user = make_user("observer@test.example", "Olive Observer")
    make_member(user, collab, Role.OBSERVER)
    return user


@pytest.fixture
def other_collab(db) -> Collaboration:
    return make_collaboration("Clean Rivers", slug="clean-rivers")


@pytest.fixture
def outsider(other_collab):
    """Facilitator of another collaboration: must never see ``collab``."""
    user = make_user("outsider@test.example", "Otto Outsider")
    make_member(user, other_collab, Role.FACILITATOR)
    return user


@pytest.fixture
def facilitator_client(facilitator) -> Client:
    return client_for(facilitator)


@pytest.fixture
def partner_client(partner_user) -> Client:
    return client_for(partner_user)


@pytest.fixture
def observer_client(observer) -> Client:
    return client_for(observer)


@pytest.fixture
def outsider_client(outsider) -> Client:
    return client_for(outsider)
