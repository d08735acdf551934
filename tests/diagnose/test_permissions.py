"""Who may open and post each Diagnose editing endpoint (a pretix-style table)."""

import pytest
from django.urls import get_resolver, reverse

from diagnose.models import Apprehension
from intersector.collaborations.models import Sector
from tests.conftest import client_for

ROLES = ["anonymous", "outsider", "observer", "partner", "facilitator"]


@pytest.fixture
def world(collab, partner_org, other_partner_org, facilitator, partner_user, observer, outsider):
    own = Apprehension.objects.create(collaboration=collab, raised_by=partner_org, about="Own")
    other = Apprehension.objects.create(
        collaboration=collab, raised_by=other_partner_org, about="Theirs"
    )
    users = {
        "facilitator": facilitator,
        "partner": partner_user,
        "observer": observer,
        "outsider": outsider,
    }
    return {"own": own, "other": other, "partner": partner_org, "users": users}


# name, kwargs builder, expected GET status per role
CASES = [
    ("section", lambda w: {"kind": "apprehensions"}, [302, 404, 200, 200, 200]),
    ("map-partner-edit", lambda w: {"pk": w["partner"].pk}, [302, 404, 403, 403, 200]),
    ("sector-edit", lambda w: {"sector": Sector.NONPROFIT}, [302, 404, 403, 200, 200]),
    ("sector-edit", lambda w: {"sector": Sector.BUSINESS}, [302, 404, 403, 403, 200]),
    (
        "add",
        lambda w: {
            "kind": "apprehensions",
        },
        [302, 404, 403, 200, 200],
    ),
    ("edit", lambda w: {"kind": "apprehensions", "pk": w["own"].pk}, [302, 404, 403, 200, 200]),
    ("edit", lambda w: {"kind": "apprehensions", "pk": w["other"].pk}, [302, 404, 403, 403, 200]),
    ("delete", lambda w: {"kind": "apprehensions", "pk": w["own"].pk}, [302, 404, 403, 200, 200]),
    ("delete", lambda w: {"kind": "apprehensions", "pk": w["other"].pk}, [302, 404, 403, 403, 200]),
    ("decision-edit", lambda w: {}, [302, 404, 403, 403, 200]),
]


@pytest.mark.parametrize(("name", "kwargs", "expected"), CASES)
def test_each_role_gets_what_the_table_says(client, world, collab, name, kwargs, expected):
    url = reverse(f"diagnose:{name}", kwargs={"slug": collab.slug, **kwargs(world)})
    for role, status in zip(ROLES, expected, strict=True):
        c = client if role == "anonymous" else client_for(world["users"][role])
        response = c.get(url)
        assert response.status_code == status, (role, url, response.status_code)
        if role == "anonymous":
            assert "/sign-in/" in response["Location"]


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("map-partner-edit", lambda w: {"pk": w["partner"].pk}),
        ("edit", lambda w: {"kind": "apprehensions", "pk": w["other"].pk}),
        ("delete", lambda w: {"kind": "apprehensions", "pk": w["other"].pk}),
        ("decision-edit", lambda w: {}),
        ("sector-edit", lambda w: {"sector": Sector.BUSINESS}),
    ],
)
def test_partner_of_another_org_cannot_post_and_nothing_changes(world, collab, name, kwargs):
    url = reverse(f"diagnose:{name}", kwargs={"slug": collab.slug, **kwargs(world)})
    response = client_for(world["users"]["partner"]).post(
        url, {"influence": 1, "proximity": 1, "about": "Hijacked", "outcome": "proceed"}
    )
    assert response.status_code == 403
    world["other"].refresh_from_db()
    assert world["other"].about == "Theirs"


def test_observer_posts_are_refused(world, collab):
    url = reverse("diagnose:add", kwargs={"kind": "apprehensions", "slug": collab.slug})
    response = client_for(world["users"]["observer"]).post(url, {"about": "x"})
    assert response.status_code == 403
    assert Apprehension.objects.count() == 2


def test_outsider_cannot_reach_objects_by_id(world, collab, other_collab):
    url = reverse(
        "diagnose:edit",
        kwargs={"kind": "apprehensions", "slug": other_collab.slug, "pk": world["own"].pk},
    )
    assert client_for(world["users"]["outsider"]).get(url).status_code == 404


def test_every_diagnose_url_is_in_the_table():
    (resolver,) = [
        r for r in get_resolver().url_patterns if getattr(r, "namespace", None) == "diagnose"
    ]
    names = {p.name for p in resolver.url_patterns} - {"index", "tool"}
    assert names == {name for name, _, _ in CASES}
