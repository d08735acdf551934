"""Who may open and post each Design editing endpoint (a pretix-style table)."""

import datetime

import pytest
from django.urls import get_resolver, reverse

from design.models import Activity, Goal, Indicator, Task
from tests.conftest import client_for

ROLES = ["anonymous", "outsider", "observer", "partner", "facilitator"]
D = datetime.date


@pytest.fixture
def world(collab, partner_org, other_partner_org, facilitator, partner_user, observer, outsider):
    goal = Goal.objects.create(collaboration=collab, title="Jobs")
    own_ind, other_ind = (
        Indicator.objects.create(
            collaboration=collab, goal=goal, name=name, baseline=1, target=2, owner=owner
        )
        for name, owner in (("Own", partner_org), ("Theirs", other_partner_org))
    )
    own_act, other_act = (
        Activity.objects.create(
            collaboration=collab,
            goal=goal,
            title=t,
            lead=lead,
            start=D(2026, 1, 1),
            end=D(2026, 6, 1),
        )
        for t, lead in (("Own", partner_org), ("Theirs", other_partner_org))
    )
    own_task, other_task = (
        Task.objects.create(collaboration=collab, activity=own_act, title=t, responsible=r)
        for t, r in (("Own", partner_org), ("Theirs", other_partner_org))
    )
    users = {
        "facilitator": facilitator,
        "partner": partner_user,
        "observer": observer,
        "outsider": outsider,
    }
    return locals()


FAC_ONLY = [302, 404, 403, 403, 200]
CONTRIB = [302, 404, 403, 200, 200]
CASES = [
    ("section", lambda w: {"kind": "roadmap"}, [302, 404, 200, 200, 200]),
    ("vision-edit", lambda w: {}, FAC_ONLY),
    (
        "add",
        lambda w: {
            "kind": "goals",
        },
        FAC_ONLY,
    ),
    ("edit", lambda w: {"kind": "goals", "pk": w["goal"].pk}, FAC_ONLY),
    ("delete", lambda w: {"kind": "goals", "pk": w["goal"].pk}, FAC_ONLY),
    (
        "add",
        lambda w: {
            "kind": "indicators",
        },
        CONTRIB,
    ),
    ("edit", lambda w: {"kind": "indicators", "pk": w["own_ind"].pk}, CONTRIB),
    ("edit", lambda w: {"kind": "indicators", "pk": w["other_ind"].pk}, FAC_ONLY),
    ("delete", lambda w: {"kind": "indicators", "pk": w["own_ind"].pk}, CONTRIB),
    ("delete", lambda w: {"kind": "indicators", "pk": w["other_ind"].pk}, FAC_ONLY),
    (
        "add",
        lambda w: {
            "kind": "roadmap",
        },
        CONTRIB,
    ),
    ("edit", lambda w: {"kind": "roadmap", "pk": w["own_act"].pk}, CONTRIB),
    ("edit", lambda w: {"kind": "roadmap", "pk": w["other_act"].pk}, FAC_ONLY),
    ("delete", lambda w: {"kind": "roadmap", "pk": w["own_act"].pk}, CONTRIB),
    ("delete", lambda w: {"kind": "roadmap", "pk": w["other_act"].pk}, FAC_ONLY),
    (
        "add",
        lambda w: {
            "kind": "responsibilities",
        },
        CONTRIB,
    ),
    ("edit", lambda w: {"kind": "responsibilities", "pk": w["own_task"].pk}, CONTRIB),
    ("edit", lambda w: {"kind": "responsibilities", "pk": w["other_task"].pk}, FAC_ONLY),
    ("delete", lambda w: {"kind": "responsibilities", "pk": w["own_task"].pk}, CONTRIB),
    ("delete", lambda w: {"kind": "responsibilities", "pk": w["other_task"].pk}, FAC_ONLY),
    ("governance-edit", lambda w: {}, FAC_ONLY),
    ("decision-rule-edit", lambda w: {}, FAC_ONLY),
]


@pytest.mark.parametrize(("name", "kwargs", "expected"), CASES)
def test_each_role_gets_what_the_table_says(client, world, collab, name, kwargs, expected):
    url = reverse(f"design:{name}", kwargs={"slug": collab.slug, **kwargs(world)})
    for role, status in zip(ROLES, expected, strict=True):
        c = client if role == "anonymous" else client_for(world["users"][role])
        response = c.get(url)
        assert response.status_code == status, (role, url, response.status_code)


@pytest.mark.parametrize(
    ("kind", "key"),
    [("indicators", "other_ind"), ("roadmap", "other_act"), ("responsibilities", "other_task")],
)
def test_partner_cannot_change_what_another_org_owns(world, collab, kind, key):
    url = reverse("design:edit", kwargs={"slug": collab.slug, "kind": kind, "pk": world[key].pk})
    response = client_for(world["users"]["partner"]).post(url, {"name": "X", "title": "X"})
    assert response.status_code == 403
    world[key].refresh_from_db()
    assert str(world[key]) == "Theirs"


def test_observer_cannot_post(world, collab):
    url = reverse("design:add", kwargs={"kind": "indicators", "slug": collab.slug})
    assert client_for(world["users"]["observer"]).post(url, {}).status_code == 403


def test_every_design_url_is_in_the_table():
    (resolver,) = [
        r for r in get_resolver().url_patterns if getattr(r, "namespace", None) == "design"
    ]
    names = {p.name for p in resolver.url_patterns} - {"index", "tool"}
    assert names == {name for name, _, _ in CASES}
