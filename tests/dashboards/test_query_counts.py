"""The dashboards' query counts do not grow with partners, answers, milestones or
collaborations: the same ceiling at two sizes."""

import pytest
from django.urls import reverse
from django.utils import timezone

from intersector.collaborations.models import Role
from intersector.dashboards.exports import TABLES
from intersector.worksheets.models import InputRequest
from intersector.worksheets.toolkit import get_stage
from tests.conftest import make_collaboration, make_member

from .helpers import populate

# session + user + membership, then: current answers (2), partner organisations with their
# tasks, milestones, overdue tasks, results, activity feed, input requests with their
# organisations (2), open proposals (one while none is open, three with them:
# tests/dashboards/test_open_proposals.py); the header's unread count.
DASHBOARD_QUERIES = 14
# session + user, then memberships, current answers (2), late milestones, last activity,
# open proposals (one while none is open); the header's unread count.
PORTFOLIO_QUERIES = 9
EXPORT_QUERIES = 5  # session, user, membership, then at most two for the rows


@pytest.mark.parametrize("n", [2, 20])
def test_dashboard_query_count_is_constant(
    facilitator_client, collab, n, django_assert_num_queries
):
    populate(collab, n)
    for i in range(n):  # n requests, each to every organisation
        request = InputRequest.objects.create(
            collaboration=collab,
            stage="diagnose",
            tool_slug=get_stage("diagnose").tools[i % 3].slug,
            message="Please.",
            due=timezone.localdate(),
        )
        request.partners.set(collab.partners.all())
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = facilitator_client.get(reverse("dashboards:collaboration", args=[collab.slug]))
    assert response.status_code == 200
    assert len(response.context["d"].participation.partners) == n
    assert [len(s.partners) for s in response.context["d"].requests] == [n] * n


@pytest.mark.parametrize("n", [2, 20])
def test_activity_feed_page_query_count_is_constant(
    facilitator_client, collab, n, django_assert_max_num_queries
):
    populate(collab, n)
    url = reverse("dashboards:collaboration", args=[collab.slug]) + "?page=2"
    with django_assert_max_num_queries(4):
        facilitator_client.get(url, headers={"HX-Request": "true", "HX-Target": "activity-feed"})


# session + user + membership, then the rows: organisations: current answers (2; none while
# they are kept), partners with their tasks, last activity; milestones: one; open tasks: count
# and page; on full pages, the header's unread count.
LIST_QUERIES = {"organisations": 8, "milestones": 5, "tasks": 6}


@pytest.mark.parametrize("n", [2, 20])
@pytest.mark.parametrize("name", sorted(LIST_QUERIES))
def test_show_all_page_query_count_is_constant(
    facilitator_client, collab, n, name, django_assert_num_queries, django_assert_max_num_queries
):
    populate(collab, n)
    url = reverse(f"dashboards:{name}", args=[collab.slug])
    with django_assert_num_queries(LIST_QUERIES[name]):
        response = facilitator_client.get(url)
    assert len(response.context["page"].object_list) >= n
    with django_assert_max_num_queries(LIST_QUERIES[name]):
        facilitator_client.get(
            url, {"page": 2}, headers={"HX-Request": "true", "HX-Target": "dash-list"}
        )


@pytest.mark.parametrize("n", [2, 10])
def test_portfolio_query_count_is_constant(
    facilitator, facilitator_client, collab, n, django_assert_max_num_queries
):
    populate(collab, 3)
    for i in range(n):
        other = make_collaboration(f"Collaboration {i}", slug=f"c-{i}")
        make_member(facilitator, other, Role.FACILITATOR)
        populate(other, 2)
    with django_assert_max_num_queries(PORTFOLIO_QUERIES):
        response = facilitator_client.get(reverse("dashboards:portfolio"))
    assert len(response.context["rows"]) == n + 1


@pytest.mark.parametrize("n", [2, 20])
@pytest.mark.parametrize("name", sorted(TABLES))
def test_export_query_count_is_constant(
    facilitator_client, collab, n, name, django_assert_max_num_queries
):
    populate(collab, n)
    with django_assert_max_num_queries(EXPORT_QUERIES):
        response = facilitator_client.get(reverse("dashboards:export", args=[collab.slug, name]))
    assert response.status_code == 200
