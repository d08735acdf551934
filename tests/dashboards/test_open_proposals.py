"""Open proposals on the stage page, the dashboard and the portfolio, and which
organisations have not responded; query counts flat in the number of organisations."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from intersector.collaborations.models import Role
from intersector.worksheets.models import Proposal, ProposalResponse
from tests.world import make_collaboration, make_member, make_partner, make_user

pytestmark = pytest.mark.django_db

GOVERNANCE = "design.governance.decision-rule"
FACTS = "design.facts.facts-we-accept"


def organisations(collab, n, prefix="Org"):
    partners = []
    for i in range(n):
        partner = make_partner(collab, f"{prefix} {i:03d}")
        make_member(
            make_user(f"{prefix.lower()}-{collab.slug}-{i}@test.example"),
            collab,
            Role.PARTNER,
            partner,
        )
        partners.append(partner)
    return partners


def proposal(collab, key, *, days=3, round=1):
    return Proposal.objects.create(
        collaboration=collab,
        question_key=key,
        round=round,
        text="Agreed text",
        rule="consent",
        quorum_percent=50,
        closes_at=timezone.now() + dt.timedelta(days=days),
    )


def respond(p, partner, position="agree"):
    ProposalResponse.objects.create(
        proposal=p, collaboration=p.collaboration, partner=partner, position=position
    )


@pytest.fixture
def open_rounds(collab):
    partners = organisations(collab, 4)
    governance = proposal(collab, GOVERNANCE, days=2)
    facts = proposal(collab, FACTS, days=5)
    for partner in partners[:3]:
        respond(governance, partner)
    respond(facts, partners[0])
    # A closed round is not listed.
    Proposal.objects.create(
        collaboration=collab,
        question_key="design.governance.fair-seats",
        round=1,
        text="Closed",
        rule="consent",
        quorum_percent=50,
        closes_at=timezone.now(),
        closed_at=timezone.now(),
        outcome="passed",
    )
    return partners


def test_dashboard_lists_open_proposals_and_who_has_not_responded(
    open_rounds, facilitator_client, collab
):
    page = facilitator_client.get(reverse("dashboards:collaboration", args=[collab.slug]))
    html = page.content.decode()
    assert "2 open proposals" in html
    assert "3 of 4 (75%)" in html and "1 of 4 (25%)" in html
    assert html.index("How will we take decisions") < html.index("Which five to ten facts")
    waiting = {w.partner.name: w.unanswered for w in page.context["d"].proposals.waiting}
    assert waiting == {"Org 001": 1, "Org 002": 1, "Org 003": 2}
    assert "How are seats shared" not in html  # closed


def test_stage_page_lists_its_own_open_proposals(open_rounds, partner_client, collab):
    html = partner_client.get(reverse("design:index", args=[collab.slug])).content.decode()
    assert "Partners are asked to agree" in html
    assert "3 of 5 (60%)" in html  # the partner persona's organisation can respond too
    assert "#q-design--governance--decision-rule-proposal" in html
    diagnose = partner_client.get(reverse("diagnose:index", args=[collab.slug])).content.decode()
    assert "Partners are asked to agree" not in diagnose


def test_portfolio_lists_open_proposals_across_collaborations(
    open_rounds, facilitator, facilitator_client
):
    other = make_collaboration("Clean Rivers", slug="clean-rivers")
    make_member(facilitator, other, Role.FACILITATOR)
    organisations(other, 2, prefix="River")
    proposal(other, GOVERNANCE, days=1)
    html = facilitator_client.get(reverse("dashboards:portfolio")).content.decode()
    assert "3 open proposals" in html
    assert html.index("Clean Rivers</td>") < html.index("Youth Jobs Compact</td>")  # soonest first


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    "url_name", ["dashboards:collaboration", "design:index", "dashboards:portfolio"]
)
def test_query_counts_are_flat_in_organisations_with_open_proposals(
    facilitator_client, collab, url_name
):
    url = (
        reverse(url_name)
        if url_name == "dashboards:portfolio"
        else reverse(url_name, args=[collab.slug])
    )
    governance = proposal(collab, GOVERNANCE)
    counts = []
    for batch, n in (("a", 3), ("b", 40)):
        for partner in organisations(collab, n, prefix=f"Org{batch}"):
            respond(governance, partner)
        counts.append(_count(facilitator_client, url))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("with_proposals", [False, True])
def test_dashboard_budget(facilitator_client, collab, with_proposals, django_assert_num_queries):
    from tests.dashboards.test_query_counts import DASHBOARD_QUERIES

    organisations(collab, 5)
    if with_proposals:
        proposal(collab, GOVERNANCE)
    # With open proposals: the organisations that can respond and the answered counts. (No
    # input request here, so their organisations are not asked for: one query less.)
    with django_assert_num_queries(DASHBOARD_QUERIES - 1 + (2 if with_proposals else 0)):
        facilitator_client.get(reverse("dashboards:collaboration", args=[collab.slug]))
