import datetime
import re

import pytest
from django.urls import reverse

from diagnose.models import Decision
from implement.models import Milestone
from intersector.collaborations.models import Role
from tests.conftest import make_collaboration, make_member, make_partner
from tests.implement.factories import make_activity

from .helpers import TODAY, agree, answer

URL = reverse("dashboards:portfolio")


@pytest.fixture
def three(facilitator, collab, other_collab):
    """The facilitator belongs to three collaborations; ``other_collab`` is not theirs."""
    second = make_collaboration("Affordable Homes", slug="homes", current_stage="implement")
    third = make_collaboration("Better Buses", slug="buses", current_stage="design")
    make_member(facilitator, second, Role.OBSERVER)
    make_member(facilitator, third, Role.FACILITATOR)
    # Progress: homes has two agreed answers, buses one, youth-jobs none.
    org = make_partner(second, "Homes Trust")
    answer(org, "diagnose.engage.who-could-block")
    agree(second, "diagnose.engage.who-else-works-on-it")
    agree(second, "diagnose.engage.who-could-block")
    agree(third, "diagnose.engage.who-else-works-on-it")
    # Late milestones: buses two, homes none (its only one was achieved).
    bus_activity = make_activity(third, make_partner(third, "Transit Agency"))
    for i in range(2):
        Milestone.objects.create(
            collaboration=third,
            activity=bus_activity,
            title=f"M{i}",
            due=TODAY - datetime.timedelta(days=3),
        )
    Milestone.objects.create(
        collaboration=second,
        activity=make_activity(second, org),
        title="Done",
        due=TODAY - datetime.timedelta(days=3),
        status=Milestone.Status.ACHIEVED,
    )
    Decision.objects.create(collaboration=third, outcome="proceed", reasons="Yes.")
    return {"first": collab, "second": second, "third": third}


def titles(response):
    return [row.collaboration.title for row in response.context["rows"]]


def test_portfolio_shows_only_the_users_collaborations(facilitator_client, three, other_collab):
    response = facilitator_client.get(URL)
    assert sorted(titles(response)) == ["Affordable Homes", "Better Buses", "Youth Jobs Compact"]
    assert other_collab.title not in response.content.decode()


def test_portfolio_numbers(facilitator_client, three):
    rows = {r.collaboration.slug: r for r in facilitator_client.get(URL).context["rows"]}
    assert (rows["homes"].overall.agreed, rows["homes"].overall.answered) == (2, 1)
    assert rows["buses"].overall.agreed == 1
    assert {slug: r.late_milestones for slug, r in rows.items()} == {
        "youth-jobs": 0,
        "homes": 0,
        "buses": 2,
    }
    assert rows["buses"].decision.outcome == "proceed" and rows["homes"].decision is None
    assert rows["homes"].last_activity is not None and rows["youth-jobs"].last_activity is None


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title", ["Affordable Homes", "Better Buses", "Youth Jobs Compact"]),
        ("-title", ["Youth Jobs Compact", "Better Buses", "Affordable Homes"]),
        ("-late", ["Better Buses", "Affordable Homes", "Youth Jobs Compact"]),
        ("-progress", ["Affordable Homes", "Better Buses", "Youth Jobs Compact"]),
        ("stage", ["Youth Jobs Compact", "Better Buses", "Affordable Homes"]),
        ("decision", ["Better Buses", "Affordable Homes", "Youth Jobs Compact"]),
        ("nonsense", ["Affordable Homes", "Better Buses", "Youth Jobs Compact"]),
    ],
)
def test_portfolio_sorts_on_the_server(facilitator_client, three, sort, expected):
    assert titles(facilitator_client.get(URL, {"sort": sort})) == expected


def test_sorted_column_announces_its_direction(facilitator_client, three):
    html = facilitator_client.get(URL, {"sort": "-late"}).content.decode()
    assert re.findall(r'aria-sort="(\w+)"', html) == ["descending"]
    late_header = html.split('aria-sort="descending"')[1].split("</th>")[0]
    assert 'href="?sort=late"' in late_header  # pressing it again sorts ascending
    html = facilitator_client.get(URL).content.decode()
    assert re.findall(r'aria-sort="(\w+)"', html) == ["ascending"]


def test_portfolio_links_into_each_collaboration(facilitator_client, three):
    html = facilitator_client.get(URL).content.decode()
    for c in three.values():
        assert reverse("dashboards:collaboration", args=[c.slug]) in html
        assert reverse("worksheets:overview", args=[c.slug]) in html


def test_portfolio_empty_state(outsider_client, other_collab):
    other_collab.memberships.all().delete()
    response = outsider_client.get(URL)
    assert response.status_code == 200 and "No collaborations yet" in response.content.decode()


def test_main_navigation_links_to_the_portfolio(facilitator_client, three):
    html = facilitator_client.get(reverse("home")).content.decode()
    assert f'href="{URL}"' in html
