"""Shared fixtures: named personas with signed-in clients, and small factories.

Personas: ``facilitator``, ``partner_user`` (speaks for ``partner_org``), ``observer`` —
all members of ``collab`` — and ``outsider``, who facilitates a different collaboration.
"""

import os

import pytest
from django.test import Client

from intersector.collaborations.models import Collaboration, Membership, Partner, Role, Sector

# Playwright's sync API keeps an event loop running in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(email: str, full_name: str = ""):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(email=email, password=PASSWORD, full_name=full_name)


def make_collaboration(
    title: str = "Youth Jobs", slug: str | None = None, **fields
) -> Collaboration:
    from django.utils.text import slugify

    fields.setdefault("problem_statement", "Too many young people are out of work.")
    return Collaboration.objects.create(title=title, slug=slug or slugify(title), **fields)


def make_partner(collaboration: Collaboration, name: str = "City Agency", **fields) -> Partner:
    fields.setdefault("sector", Sector.GOVERNMENT)
    return Partner.objects.create(collaboration=collaboration, name=name, **fields)


def make_member(user, collaboration: Collaboration, role: str, partner: Partner | None = None):
    return Membership.objects.create(
        user=user, collaboration=collaboration, role=role, partner=partner
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


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
