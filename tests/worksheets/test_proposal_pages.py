"""The proposal on the tool page: opening, responding, closing, with and without htmx."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from intersector.collaborations.models import Role
from intersector.worksheets.models import Consensus, Proposal, ProposalResponse
from tests.world import client_for, make_member, make_user

QUESTION = "design.governance.decision-rule"
ANCHOR = "q-design--governance--decision-rule"
HX = {"HTTP_HX_REQUEST": "true"}

pytestmark = pytest.mark.django_db


def tool_url(collab):
    return reverse(
        "design:tool", kwargs={"slug": collab.slug, "tool_slug": "establish-a-governance-structure"}
    )


def open_url(collab):
    return reverse("worksheets:proposal-open", args=[collab.slug, QUESTION])


def respond_url(proposal):
    return reverse("worksheets:proposal-respond", args=[proposal.collaboration.slug, proposal.pk])


def close_url(proposal):
    return reverse("worksheets:proposal-close", args=[proposal.collaboration.slug, proposal.pk])


@pytest.fixture
def drafted(collab):
    return Consensus.objects.create(
        collaboration=collab,
        question_key=QUESTION,
        text="We decide by consent.",
        status=Consensus.Status.DISCUSSED,
    )


@pytest.fixture
def firm_client(collab, other_partner_org):
    user = make_user("finn@test.example", "Finn Firm")
    make_member(user, collab, Role.PARTNER, other_partner_org)
    return client_for(user)


@pytest.fixture
def proposal(facilitator_client, collab, drafted, partner_user, other_partner_org):
    assert facilitator_client.post(open_url(collab)).status_code == 302
    return Proposal.objects.get()


def test_facilitator_sees_ask_partners_to_agree_with_the_default_date(
    facilitator_client, collab, drafted
):
    page = facilitator_client.get(tool_url(collab)).content.decode()
    default = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    assert "Ask partners to agree" in page
    assert f'value="{default}"' in page
    response = facilitator_client.post(open_url(collab), {"closes_on": default})
    assert response["Location"].endswith(f"#{ANCHOR}-proposal")
    assert Proposal.objects.get().text == "We decide by consent."


def test_opening_with_a_bad_date_answers_422_in_place(facilitator_client, collab, drafted):
    response = facilitator_client.post(open_url(collab), {"closes_on": "2001-01-01"}, **HX)
    assert response.status_code == 422
    assert "Choose a closing date from today on." in response.content.decode()
    response = facilitator_client.post(open_url(collab), {"closes_on": "soon"}, **HX)
    assert response.status_code == 422
    assert "Give the closing date as a date" in response.content.decode()
    assert not Proposal.objects.exists()


def test_the_page_shows_the_proposal_tally_and_who_has_not_responded(
    proposal, partner_client, firm_client, collab, partner_org, other_partner_org
):
    page = partner_client.get(tool_url(collab)).content.decode()
    assert "Partners are asked to agree (round 1)" in page
    assert "<legend>Bright Futures's position" in page
    assert page.count('name="position"') == 4
    assert "0 of 2 organisations responded (0%)." in page
    response = firm_client.post(
        respond_url(proposal), {"position": "object", "reason": "Who breaks a tie?"}, **HX
    )
    assert response.status_code == 200
    page = partner_client.get(tool_url(collab)).content.decode()
    assert "1 of 2 organisations responded (50%)." in page
    assert "Object: <strong>1</strong>" in page
    assert "Who breaks a tie?" in page and "<cite>Northfield Manufacturing</cite>" in page
    assert "Not responded yet" in page
    assert f'<li id="{ANCHOR}-waiting-{partner_org.pk}">Bright Futures</li>' in page


def live_poll(client, collab, etag=None):
    headers = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
    return client.get(
        tool_url(collab), {"live": "design.governance.decision-rule"}, **HX, **headers
    )


def test_a_response_is_acknowledged_out_of_band_and_the_next_poll_brings_the_tally(
    proposal, partner_client, firm_client, partner_org, other_partner_org, collab
):
    etag = live_poll(firm_client, collab)["ETag"]
    answer = firm_client.post(
        respond_url(proposal), {"position": "object", "reason": "Who breaks a tie?"}, **HX
    )
    first = answer.content.decode()
    # The form stays as it was filled in (nothing swapped in place); neither it nor the
    # rest of the proposal is in the answer.
    assert answer["HX-Reswap"] == "none"
    assert "<form" not in first and 'name="position"' not in first
    assert f'id="{ANCHOR}-proposal"' not in first
    # Out of band: the form's status, its error emptied, the note and the button.
    status = f'<p id="{ANCHOR}-respond-status" class="autosave__ok respond-status" role="status"'
    assert f'{status} hx-swap-oob="true">Your organisation\'s response is recorded.' in first
    assert f'<div id="{ANCHOR}-respond-error" hx-swap-oob="true"></div>' in first
    assert f'id="{ANCHOR}-respond-recorded" class="muted" hx-swap-oob="true">(recorded by' in first
    assert f'id="{ANCHOR}-respond-button"' in first and "Change our response" in first
    assert "organisations responded" not in first and "Who breaks a tie?" not in first
    # The responder's page polls: the round alone, with the tally, their row, off "Not
    # responded yet"; the form they are in is not in it, so it stays as it is.
    polled = live_poll(firm_client, collab, etag)
    assert polled.status_code == 200
    page = polled.content.decode()
    assert "1 of 2 organisations responded (50%)." in page and "Object: <strong>1</strong>" in page
    assert f'<li id="{ANCHOR}-response-{other_partner_org.pk}"' in page
    assert "Who breaks a tie?" in page and "<cite>Northfield Manufacturing</cite>" in page
    assert f'<li id="{ANCHOR}-waiting-{partner_org.pk}">Bright Futures</li>' in page
    assert f'<li id="{ANCHOR}-waiting-{other_partner_org.pk}">' not in page
    assert f'<div id="{ANCHOR}-round">' in page
    assert "<form" not in page and f'id="{ANCHOR}-respond"' not in page
    # A changed response: the next poll has it.
    firm_client.post(respond_url(proposal), {"position": "agree"}, **HX)
    changed = live_poll(firm_client, collab, polled["ETag"]).content.decode()
    assert "Agree: <strong>1</strong>" in changed and "Object: <strong>0</strong>" in changed
    # The last organisation to respond empties "Not responded yet": its heading hides.
    partner_client.post(respond_url(proposal), {"position": "agree"}, **HX)
    last = live_poll(partner_client, collab).content.decode()
    assert f'id="{ANCHOR}-waiting-heading" hidden' in last


def test_a_missing_reason_is_refused_in_place_keeping_the_choice(proposal, partner_client):
    response = partner_client.post(respond_url(proposal), {"position": "reservations"}, **HX)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Give a reason" in page
    assert 'value="reservations" checked' in page
    # The whole form again, in place, its error beside the positions it describes.
    assert page.lstrip().startswith(f'<form method="post" action="{respond_url(proposal)}"')
    assert f'<div id="{ANCHOR}-respond-error"><p class="alert alert--error" role="alert">' in page
    assert f'aria-describedby="{ANCHOR}-respond-error"' in page
    assert not ProposalResponse.objects.exists()


def test_responding_without_javascript_redirects_to_the_proposal(proposal, partner_client):
    response = partner_client.post(respond_url(proposal), {"position": "agree"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#{ANCHOR}-proposal")
    assert ProposalResponse.objects.get().position == "agree"


def test_observer_gets_403_and_a_response_for_another_organisation_is_refused(
    proposal, observer_client, partner_client, other_partner_org
):
    assert observer_client.post(respond_url(proposal), {"position": "agree"}).status_code == 403
    response = partner_client.post(
        respond_url(proposal),
        {"position": "object", "reason": "x", "partner": other_partner_org.pk},
    )
    assert response.status_code == 403
    assert not ProposalResponse.objects.exists()


def test_observers_see_the_proposal_but_no_form(proposal, observer_client, collab):
    page = observer_client.get(tool_url(collab)).content.decode()
    assert "Partners are asked to agree (round 1)" in page
    assert 'name="position"' not in page


def test_a_late_response_is_refused_with_a_clear_message(proposal, partner_client):
    Proposal.objects.update(closes_at=timezone.now() - dt.timedelta(minutes=5))
    response = partner_client.post(respond_url(proposal), {"position": "agree"}, **HX)
    assert response.status_code == 422
    assert "this proposal closed on" in response.content.decode()
    assert "no longer accepted" in response.content.decode()


def test_closing_early_shows_the_outcome_and_the_answer_becomes_agreed(
    proposal, partner_client, firm_client, facilitator_client, collab
):
    partner_client.post(respond_url(proposal), {"position": "agree"})
    firm_client.post(respond_url(proposal), {"position": "stand_aside"})
    response = facilitator_client.post(
        close_url(proposal), {"statement": "Adopted at the May meeting."}, **HX
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Outcome: Passed" in page and "Adopted at the May meeting." in page
    assert "Agreed by the partner organisations in round 1" in page
    assert Consensus.objects.get().status == Consensus.Status.AGREED
    # The round keeps a page of its own, linked from the consent record.
    round_url = reverse("worksheets:proposal", args=[collab.slug, proposal.pk])
    assert round_url in page
    record = partner_client.get(round_url).content.decode()
    assert "<h1>" in record and "Outcome: Passed" in record
    again = facilitator_client.post(close_url(proposal), **HX)
    assert again.status_code == 422
    assert "already closed" in again.content.decode()


def test_edited_after_passing_shows_changed_since_agreed(
    proposal, partner_client, facilitator_client, collab
):
    partner_client.post(respond_url(proposal), {"position": "agree"})
    facilitator_client.post(close_url(proposal))
    consensus = Consensus.objects.get()
    facilitator_client.post(
        reverse("worksheets:consensus-save", args=[collab.slug, QUESTION]),
        {
            "text": "Consent, and the chair decides ties.",
            "status": "agreed",
            "base_version": consensus.version,
        },
    )
    page = partner_client.get(tool_url(collab)).content.decode()
    assert "changed since agreed" in page


def test_tool_page_queries_do_not_grow_with_organisations(
    proposal, facilitator_client, collab, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.world import make_partner

    counts = []
    for batch in (3, 30):
        for i in range(batch):
            org = make_partner(collab, f"Org {batch}-{i}")
            make_member(make_user(f"m{batch}-{i}@test.example"), collab, Role.PARTNER, org)
            ProposalResponse.objects.create(
                proposal=proposal, collaboration=collab, partner=org, position="agree"
            )
        with CaptureQueriesContext(connection) as ctx:
            assert facilitator_client.get(tool_url(collab)).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_a_response_is_acknowledged_in_a_fixed_small_number_of_queries(
    proposal, partner_client, collab, partner_org, django_assert_num_queries
):
    from tests.world import make_partner

    url = respond_url(proposal)
    partner_client.get(tool_url(collab))  # the session is warm, as in a workshop
    for size in (3, 30):
        for i in range(size):
            org = make_partner(collab, f"O{size}-{i}")
            make_member(make_user(f"o{size}-{i}@test.example"), collab, Role.PARTNER, org)
            ProposalResponse.objects.create(
                proposal=proposal, collaboration=collab, partner=org, position="agree"
            )
        ProposalResponse.objects.filter(partner=partner_org).delete()  # a first response again
        # session, user, membership; in the transaction (a savepoint here, BEGIN/COMMIT in
        # production): the proposal locked, the organisation's response updated and, when
        # it had none, inserted. Nothing is read per organisation, nor after the save.
        with django_assert_num_queries(8):
            response = partner_client.post(url, {"position": "agree"}, **HX)
        assert response.status_code == 200
        assert ProposalResponse.objects.get(partner=partner_org).position == "agree"
        with django_assert_num_queries(7):
            response = partner_client.post(url, {"position": "stand_aside"}, **HX)
        assert response.status_code == 200
        assert ProposalResponse.objects.get(partner=partner_org).position == "stand_aside"


def test_a_response_after_the_close_is_refused_in_place(
    proposal, partner_client, facilitator_client
):
    facilitator_client.post(close_url(proposal))
    response = partner_client.post(respond_url(proposal), {"position": "agree"}, **HX)
    assert response.status_code == 422
    assert "this proposal closed on" in response.content.decode()
    assert not ProposalResponse.objects.exists()
