"""Bad input never yields a 500 (property-based, hypothesis).

Every form on the site is posted random and hostile values: huge strings, control
characters (NUL included — PostgreSQL refuses them in text), wrong types (lists, numbers,
ids of other collaborations' objects), HTML and JavaScript. Each answer must be 2xx/3xx/4xx
(the test client re-raises any exception a view lets escape), and nothing belonging to the
other collaboration may change. Each example runs in a savepoint that is rolled back, so
examples do not depend on each other.

Add a form: one entry in ``FORMS`` — URL name, who posts it, and its fields.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_authorization_matrix import (
    World,
    build_world,
    invitation_kwargs,
    membership_kwargs,
    other_collaboration_snapshot,
    partner_kwargs,
    slug_kwargs,
)

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "40"))

HOSTILE_STRINGS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x00" * 10,
    "\r\n\t\x0b\x0c\x1b[31m",
    "\u202e\u200b\ufeff",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ 7*7 }}{% debug %}",
    "'; DROP TABLE collaborations_partner; --",
    "-1",
    "0",
    "99999999999999999999999",
    "1.5",
    "NaN",
    "null",
    "true",
    "x" * 5_001,
    "é" * 70_000,
    "@",
    "a@b",
    "facilitator@test.example",
    "nobody@test.example\x00",
    "🙂" * 300,
]


def hostile_value(foreign_ids: list[int]) -> st.SearchStrategy:
    text = st.one_of(
        st.sampled_from(HOSTILE_STRINGS),
        st.text(max_size=300),
        st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=50),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.sampled_from([str(i) for i in foreign_ids]),
    )
    # A list posts the field several times (a wrong type for a single-valued field).
    return st.one_of(text, st.lists(text, min_size=2, max_size=3))


@dataclass(frozen=True)
class Form:
    url: str
    persona: str
    fields: tuple[str, ...]
    kwargs: Callable[[World], dict] = slug_kwargs


FORMS = [
    Form(
        "collaborations:create",
        "facilitator",
        ("title", "problem_statement", "origin", "context"),
        kwargs=lambda w: {},
    ),
    Form(
        "collaborations:partners",
        "facilitator",
        ("name", "sector", "influence", "proximity", "engagement", "expertise", "resources"),
    ),
    Form(
        "collaborations:partner-edit",
        "facilitator",
        ("name", "sector", "influence", "proximity", "engagement", "expertise", "resources"),
        kwargs=partner_kwargs,
    ),
    Form("collaborations:members", "facilitator", ("email", "role", "partner")),
    Form(
        "collaborations:member-change", "facilitator", ("role", "partner"), kwargs=membership_kwargs
    ),
    Form("invitations:create", "facilitator", ("email", "role", "partner")),
    Form("invitations:resend", "facilitator", ("pk",), kwargs=invitation_kwargs),
    Form(
        "invitations:accept",
        "anonymous",
        ("full_name", "password1", "password2"),
        kwargs=lambda w: {"token": w.invitee_token},
    ),
    Form("login", "anonymous", ("username", "password", "next"), kwargs=lambda w: {}),
    Form("password_reset", "anonymous", ("email",), kwargs=lambda w: {}),
    Form(
        "password_change",
        "partner",
        ("old_password", "new_password1", "new_password2"),
        kwargs=lambda w: {},
    ),
]


@pytest.fixture
def world(db) -> World:
    return build_world()


def foreign_ids(world: World) -> list[int]:
    return [
        world.foreign_partner.pk,
        world.foreign_membership.pk,
        world.foreign_invitation.pk,
        world.other_collab.pk,
    ]


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.url)
def test_hostile_input_never_gives_a_500(world: World, form: Form):
    ids = foreign_ids(world)
    path = reverse(form.url, kwargs=form.kwargs(world))
    client = world.clients[form.persona]
    strategy = st.fixed_dictionaries({}, optional={f: hostile_value(ids) for f in form.fields})
    before = other_collaboration_snapshot(world)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(data=strategy, htmx=st.booleans())
    def post(data, htmx):
        headers = {"HX-Request": "true"} if htmx else {}
        with transaction.atomic():
            response = client.post(path, data, headers=headers)
            assert response.status_code < 500, (response.status_code, data)
            assert other_collaboration_snapshot(world) == before
            transaction.set_rollback(True)

    post()


def test_nul_characters_are_refused_cleanly(world: World):
    """PostgreSQL cannot store NUL: the form says so instead of the database failing."""
    client = world.clients["facilitator"]
    url = reverse("collaborations:partners", kwargs={"slug": world.collab.slug})
    response = client.post(
        url,
        {
            "name": "Bad\x00Name",
            "sector": "business",
            "influence": 3,
            "proximity": 3,
            "engagement": "engaged",
            "expertise": "a\x00b",
        },
    )
    assert response.status_code == 422
    assert "Null characters are not allowed" in response.content.decode()
    assert not world.collab.partners.filter(name__startswith="Bad").exists()


def test_another_collaborations_partner_cannot_be_assigned(world: World):
    client = world.clients["facilitator"]
    url = reverse("collaborations:member-change", kwargs=membership_kwargs(world))
    client.post(url, {"role": "partner", "partner": world.foreign_partner.pk})
    world.partner_membership.refresh_from_db()
    assert world.partner_membership.partner_id == world.partner_org.pk
