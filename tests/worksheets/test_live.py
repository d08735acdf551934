"""Live pages: the tool page's and the presenter view's polls answer 304 while nothing
changed, and only the regions others write in when something did."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intersector.collaborations.access import Access
from intersector.collaborations.models import Membership, Role, Sector
from intersector.worksheets import live, services
from tests.conftest import make_member, make_partner, make_user

TOOL_URL = "/c/youth-jobs/diagnose/tools/engage-potential-partners/"
QUESTION = "diagnose.engage.who-is-affected"
OTHER_QUESTION = "diagnose.engage.missing-sector"
ANOTHER_TOOLS_QUESTION = "design.viewpoints.ground-rules"
PRESENT_URL = f"/c/youth-jobs/worksheets/{QUESTION}/present/"
JOIN_URL = f"/c/youth-jobs/q/{QUESTION}/"
QID = "q-diagnose--engage--who-is-affected"
HTMX = {"HTTP_HX_REQUEST": "true"}


def access_of(user, collab) -> Access:
    membership = Membership.objects.select_related("partner").get(user=user, collaboration=collab)
    return Access(collaboration=collab, membership=membership)


@pytest.fixture
def other_writer(collab, other_partner_org):
    return make_member(
        make_user("writer@test.example", "Wren Writer"), collab, Role.PARTNER, other_partner_org
    )


def write(user, collab, text, *, question_key=QUESTION, base=0):
    return services.perspective_save(
        access=access_of(user, collab), question_key=question_key, text=text, base_version=base
    )


def poll(client, url, etag=None, *, question_key=QUESTION):
    headers = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
    live_value = question_key if url == TOOL_URL else "1"
    return client.get(url, {"live": live_value}, **HTMX, **headers)


def test_tool_page_poll_is_304_until_someone_else_saves(
    collab, partner_client, other_writer, other_partner_org
):
    first = poll(partner_client, TOOL_URL)
    assert first.status_code == 200
    assert first["Cache-Control"] == "no-store"
    etag = first["ETag"]

    unchanged = poll(partner_client, TOOL_URL, etag)
    assert unchanged.status_code == 304
    assert unchanged["ETag"] == etag

    write(other_writer.user, collab, "Young people leaving care")
    changed = poll(partner_client, TOOL_URL, etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Young people leaving care" in changed.content.decode()
    assert poll(partner_client, TOOL_URL, changed["ETag"]).status_code == 304


def test_tool_page_poll_sees_a_second_save_of_the_same_answer(collab, partner_client, other_writer):
    saved = write(other_writer.user, collab, "First draft")
    etag = poll(partner_client, TOOL_URL)["ETag"]
    write(other_writer.user, collab, "Second draft", base=saved.version)
    response = poll(partner_client, TOOL_URL, etag)
    assert response.status_code == 200
    assert "Second draft" in response.content.decode()


def test_tool_page_poll_sees_comments_and_the_agreed_answer(
    collab, partner_client, facilitator, other_writer
):
    etag = poll(partner_client, TOOL_URL)["ETag"]
    services.comment_add(
        access=access_of(other_writer.user, collab), question_key=QUESTION, text="What of rural?"
    )
    after_comment = poll(partner_client, TOOL_URL, etag)
    assert after_comment.status_code == 200
    assert "What of rural?" in after_comment.content.decode()

    save_agreed(facilitator, collab, "Care leavers first", base_version=0)
    after_agreed = poll(partner_client, TOOL_URL, after_comment["ETag"])
    assert after_agreed.status_code == 200
    assert "Care leavers first" in after_agreed.content.decode()


def test_the_poll_never_carries_the_partners_own_field(collab, partner_client, partner_user):
    write(partner_user, collab, "Our own words")
    etag = poll(partner_client, TOOL_URL)["ETag"]
    write(partner_user, collab, "Our own words, changed", base=1)
    assert poll(partner_client, TOOL_URL, etag).status_code == 304  # nothing else changed
    body = poll(partner_client, TOOL_URL).content.decode()
    assert f'id="{QID}-text"' not in body
    assert 'name="text"' not in body  # no form field at all: neither answer nor comment
    assert "Our own words" not in body


def test_facilitators_poll_shows_a_changed_agreed_answer_beside_their_editor(
    collab, facilitator_client, facilitator
):
    body = poll(facilitator_client, TOOL_URL).content.decode()
    assert f'id="{QID}-agreed-live"' in body
    assert f'id="{QID}-agreed-text"' not in body  # the editor itself is never swapped


def test_a_poll_answer_carries_only_the_regions_that_changed_since_its_etag(
    collab, partner_client, facilitator, other_writer
):
    etag = poll(partner_client, TOOL_URL)["ETag"]
    write(other_writer.user, collab, "Only a perspective changed")
    body = poll(partner_client, TOOL_URL, etag)
    html = body.content.decode()
    assert f'id="{QID}-others"' in html and "Only a perspective changed" in html
    assert f'id="{QID}-comments-list"' not in html
    assert f'id="{QID}-agreed"' not in html

    services.comment_add(
        access=access_of(other_writer.user, collab), question_key=QUESTION, text="Just a word"
    )
    html = poll(partner_client, TOOL_URL, body["ETag"]).content.decode()
    assert f'id="{QID}-comments-list"' in html and "Just a word" in html
    assert f'id="{QID}-others"' not in html
    assert f'id="{QID}-agreed"' not in html


@pytest.mark.parametrize("sent", [None, '"garbled"', '"a.b.c"', 'W/"x.y.z"', '"a", "b"'])
def test_a_poll_without_a_usable_etag_gets_every_region(collab, partner_client, sent):
    html = poll(partner_client, TOOL_URL, sent).content.decode()
    for region in ("others", "comments-list", "agreed"):
        assert f'id="{QID}-{region}"' in html


def test_another_persons_etag_is_no_shortcut_to_fewer_regions(
    collab, partner_client, observer_client
):
    # The parts of an ETag are tied to the person, view and role they were made for.
    theirs = poll(observer_client, TOOL_URL)["ETag"]
    response = poll(partner_client, TOOL_URL, theirs)
    assert response.status_code == 200
    html = response.content.decode()
    for region in ("others", "comments-list", "agreed"):
        assert f'id="{QID}-{region}"' in html


def test_a_poll_after_a_perspective_reads_only_the_perspectives(
    collab, partner_client, other_writer, django_assert_num_queries
):
    saved = write(other_writer.user, collab, "First")
    etag = poll(partner_client, TOOL_URL)["ETag"]
    write(other_writer.user, collab, "Second", base=saved.version)
    # The session, the user, the membership, the version, the first others.
    with django_assert_num_queries(5):
        response = poll(partner_client, TOOL_URL, etag)
    assert "Second" in response.content.decode()


def test_the_presenter_poll_redraws_the_board_or_the_agreed_answer_as_they_change(
    collab, facilitator_client, facilitator, other_writer
):
    etag = poll(facilitator_client, PRESENT_URL)["ETag"]
    write(other_writer.user, collab, "On the board")
    board = poll(facilitator_client, PRESENT_URL, etag)
    html = board.content.decode()
    assert 'id="present-board"' in html and "On the board" in html
    assert f'id="{QID}-agreed-live"' not in html
    save_agreed(facilitator, collab, "Agreed meanwhile", base_version=0)
    html = poll(facilitator_client, PRESENT_URL, board["ETag"]).content.decode()
    assert f'id="{QID}-agreed-live"' in html and "Agreed meanwhile" in html
    assert 'id="present-board"' not in html


def test_another_collaborations_answers_do_not_reach_the_poll(
    collab, partner_client, other_collab, outsider
):
    etag = poll(partner_client, TOOL_URL)["ETag"]
    foreign_org = make_partner(other_collab, "Elsewhere Ltd", sector=Sector.BUSINESS)
    foreign_writer = make_member(
        make_user("far@test.example"), other_collab, Role.PARTNER, foreign_org
    )
    write(foreign_writer.user, other_collab, "Secret elsewhere")
    assert poll(partner_client, TOOL_URL, etag).status_code == 304


def test_outsiders_and_strangers_cannot_poll(client, outsider_client):
    assert poll(outsider_client, TOOL_URL).status_code == 404
    assert poll(outsider_client, PRESENT_URL).status_code == 404
    assert poll(client, TOOL_URL).status_code == 302  # to sign in


def test_a_poll_that_finds_nothing_new_reads_the_version_in_one_query(
    collab, partner_client, django_assert_num_queries
):
    etag = poll(partner_client, TOOL_URL)["ETag"]
    # The session, the user, the membership, the version.
    with django_assert_num_queries(4):
        assert poll(partner_client, TOOL_URL, etag).status_code == 304


def test_the_live_version_is_one_query_and_changes_with_every_save_of_others(
    collab, partner_user, other_writer
):
    keys = [QUESTION, OTHER_QUESTION]
    viewer = access_of(partner_user, collab)
    with CaptureQueriesContext(connection) as queries:
        before = live.live_version(viewer, keys)
    assert len(queries) == 1
    saved = write(other_writer.user, collab, "One")
    middle = live.live_version(viewer, keys)
    write(other_writer.user, collab, "Two", base=saved.version)
    after = live.live_version(viewer, keys)
    assert len({before, middle, after}) == 3
    # Neither another tool's question nor the viewer's own perspective (not shown live).
    write(other_writer.user, collab, "Another tool", question_key=ANOTHER_TOOLS_QUESTION)
    write(partner_user, collab, "Our own")
    assert live.live_version(viewer, keys) == after


def test_each_question_polls_apart(collab, partner_client, other_writer):
    etag = poll(partner_client, TOOL_URL)["ETag"]
    write(other_writer.user, collab, "On the other question", question_key=OTHER_QUESTION)
    assert poll(partner_client, TOOL_URL, etag).status_code == 304
    other = poll(partner_client, TOOL_URL, question_key=OTHER_QUESTION).content.decode()
    assert "On the other question" in other
    assert f'id="{QID}-others"' not in other
    unknown = poll(partner_client, TOOL_URL, question_key="design.viewpoints.ground-rules")
    assert unknown.status_code == 404


# --- The presenter view ---------------------------------------------------------------------


def test_only_facilitators_can_present(facilitator_client, partner_client, observer_client):
    assert facilitator_client.get(PRESENT_URL).status_code == 200
    assert partner_client.get(PRESENT_URL).status_code == 403
    assert observer_client.get(PRESENT_URL).status_code == 403
    assert partner_client.get(PRESENT_URL, {"live": "1"}, **HTMX).status_code == 403


def test_the_presenter_view_shows_every_perspective_by_sector(
    collab, facilitator_client, partner_user, other_writer
):
    write(partner_user, collab, "From the non-profit side")
    write(other_writer.user, collab, "From the business side")
    page = facilitator_client.get(PRESENT_URL).content.decode()
    business, nonprofit = page.index("Business"), page.index("Non-profit")
    assert business < page.index("From the business side") < nonprofit
    assert nonprofit < page.index("From the non-profit side")
    assert page.count("<h1") == 1
    assert JOIN_URL in page  # the join link, and its QR code
    assert "<svg" in page
    assert "diagnose.engage.what-each-brings-and-wants/present/" in page  # the next question
    assert "diagnose.engage.who-else-works-on-it/present/" in page  # the previous one


def test_the_presenter_poll_is_304_until_a_perspective_arrives(
    collab, facilitator_client, other_writer
):
    etag = poll(facilitator_client, PRESENT_URL)["ETag"]
    assert poll(facilitator_client, PRESENT_URL, etag).status_code == 304
    write(other_writer.user, collab, "Just arrived")
    response = poll(facilitator_client, PRESENT_URL, etag)
    assert response.status_code == 200
    assert "Just arrived" in response.content.decode()


def test_the_presenter_poll_sees_the_facilitators_own_organisation_too(
    collab, facilitator_client, facilitator, partner_org
):
    # A facilitator may speak for an organisation; the board shows its perspective as well.
    Membership.objects.filter(user=facilitator).update(partner=partner_org)
    colleague = make_member(make_user("colleague@test.example"), collab, Role.PARTNER, partner_org)
    etag = poll(facilitator_client, PRESENT_URL)["ETag"]
    write(colleague.user, collab, "From our own organisation")
    response = poll(facilitator_client, PRESENT_URL, etag)
    assert response.status_code == 200
    assert "From our own organisation" in response.content.decode()


def test_the_tool_page_links_facilitators_to_the_presenter_view(facilitator_client, partner_client):
    assert PRESENT_URL in facilitator_client.get(TOOL_URL).content.decode()
    assert PRESENT_URL not in partner_client.get(TOOL_URL).content.decode()


def test_the_join_link_takes_a_member_to_the_question(partner_client, client, outsider_client):
    response = partner_client.get(JOIN_URL)
    assert response.status_code == 302
    assert response["Location"] == f"{TOOL_URL}#{QID}"
    assert outsider_client.get(JOIN_URL).status_code == 404
    assert client.get(JOIN_URL)["Location"].startswith("/accounts/sign-in/?next=")


def test_the_presenter_view_shows_the_open_proposal_and_the_rule_it_would_use(
    collab, facilitator, facilitator_client
):
    from intersector.worksheets.models import Consensus

    Consensus.objects.create(
        collaboration=collab, question_key=QUESTION, text="We agree on this.", version=1
    )
    page = facilitator_client.get(PRESENT_URL).content.decode()
    assert "Decided by Consent" in page and "quorum 50%." in page  # the rule it would use
    membership = Membership.objects.get(user=facilitator)
    services.proposal_open(
        access=Access(collaboration=collab, membership=membership), question_key=QUESTION
    )
    page = facilitator_client.get(PRESENT_URL).content.decode()
    assert "Ask partners to agree" not in page  # the round is open: it is shown instead
    assert "Partners are asked to agree (round 1)" in page


# --- The presenter view's consent tally -------------------------------------------------------


@pytest.fixture
def open_round(collab, facilitator):
    from intersector.worksheets.models import Consensus

    Consensus.objects.create(
        collaboration=collab, question_key=QUESTION, text="We agree on this.", version=1
    )
    return services.proposal_open(access=access_of(facilitator, collab), question_key=QUESTION)


def save_agreed(facilitator, collab, text, *, base_version):
    return services.consensus_save(
        access=access_of(facilitator, collab),
        question_key=QUESTION,
        text=text,
        status="discussed",
        base_version=base_version,
    )


def respond(user, collab, proposal, position, reason=""):
    return services.response_save(
        access=access_of(user, collab), proposal_id=proposal.pk, position=position, reason=reason
    )


def names_url(proposal):
    return f"/c/youth-jobs/proposals/{proposal.pk}/names/"


def test_the_presenter_tally_changes_on_the_next_poll_after_a_response(
    collab, facilitator_client, partner_user, other_writer, open_round
):
    first = poll(facilitator_client, PRESENT_URL)
    assert first.status_code == 200
    assert 'id="present-tally"' in first.content.decode()
    assert "0 of 2 organisations responded (0%)." in first.content.decode()
    etag = first["ETag"]
    assert poll(facilitator_client, PRESENT_URL, etag).status_code == 304

    respond(other_writer.user, collab, open_round, "object", "Who breaks a tie?")
    changed = poll(facilitator_client, PRESENT_URL, etag)
    assert changed.status_code == 200
    page = changed.content.decode()
    assert "1 of 2 organisations responded (50%)." in page
    assert "Object: <strong>1</strong>" in page
    etag = changed["ETag"]
    assert poll(facilitator_client, PRESENT_URL, etag).status_code == 304

    # A changed response changes the version too (the count of responses does not).
    respond(other_writer.user, collab, open_round, "agree")
    again = poll(facilitator_client, PRESENT_URL, etag)
    assert again.status_code == 200
    assert "Agree: <strong>1</strong>" in again.content.decode()
    assert "Object: <strong>0</strong>" in again.content.decode()


def test_the_presenter_shows_no_names_or_reasons_until_revealed(
    collab, facilitator_client, partner_user, other_writer, open_round
):
    respond(other_writer.user, collab, open_round, "object", "Who breaks a tie?")
    respond(partner_user, collab, open_round, "agree")
    hidden = facilitator_client.get(PRESENT_URL).content.decode()
    assert "1 of 2" not in hidden and "2 of 2 organisations responded (100%)." in hidden
    for secret in ("Northfield Manufacturing", "Bright Futures", "Who breaks a tie?"):
        assert secret not in hidden
    assert "Reveal names" in hidden
    etag = poll(facilitator_client, PRESENT_URL)["ETag"]

    response = facilitator_client.post(names_url(open_round), {"names": "reveal"})
    assert response.status_code == 302
    assert response["Location"] == PRESENT_URL
    revealed = facilitator_client.get(PRESENT_URL).content.decode()
    assert "Northfield Manufacturing" in revealed and "Who breaks a tie?" in revealed
    assert "Bright Futures" in revealed and "Hide names" in revealed
    # Another screen presenting the question sees the names on its next poll.
    live_answer = poll(facilitator_client, PRESENT_URL, etag)
    assert live_answer.status_code == 200
    assert "Who breaks a tie?" in live_answer.content.decode()

    fragment = facilitator_client.post(names_url(open_round), {"names": "hide"}, **HTMX)
    assert fragment.status_code == 200
    assert fragment.content.decode().lstrip().startswith('<section id="present-tally"')
    assert "Who breaks a tie?" not in fragment.content.decode()
    assert "Who breaks a tie?" not in facilitator_client.get(PRESENT_URL).content.decode()


def test_only_facilitators_of_the_collaboration_reveal_names(
    collab, partner_client, observer_client, outsider_client, open_round
):
    from intersector.worksheets.models import Proposal

    assert partner_client.post(names_url(open_round), {"names": "reveal"}).status_code == 403
    assert observer_client.post(names_url(open_round), {"names": "reveal"}).status_code == 403
    assert outsider_client.post(names_url(open_round), {"names": "reveal"}).status_code == 404
    assert Proposal.objects.get().names_revealed_at is None


def test_the_tool_page_still_shows_who_responded(
    collab, facilitator_client, partner_client, other_writer, open_round
):
    respond(other_writer.user, collab, open_round, "object", "Who breaks a tie?")
    page = partner_client.get(TOOL_URL).content.decode()
    assert "Northfield Manufacturing" in page and "Who breaks a tie?" in page


def test_a_partners_poll_sees_every_response_to_the_round_its_own_too(
    collab, partner_user, other_writer, open_round
):
    # A response's answer carries no tally: the responder's poll brings it, and their row.
    viewer = access_of(partner_user, collab)
    before = live.live_version(viewer, [QUESTION])
    respond(partner_user, collab, open_round, "agree")
    after_own = live.live_version(viewer, [QUESTION])
    assert after_own != before
    respond(other_writer.user, collab, open_round, "agree")
    assert live.live_version(viewer, [QUESTION]) != after_own


@pytest.mark.parametrize(
    ("viewer", "agreed_region", "tally"),
    [
        ("facilitator_client", "agreed-live", "1 of 1 organisation responded (100%)."),
        ("partner_client", "agreed", "1 of 2 organisations responded (50%)."),
    ],
)
def test_a_poll_redraws_only_the_open_round_when_a_response_changed_it(
    collab, other_writer, open_round, viewer, agreed_region, tally, request
):
    client = request.getfixturevalue(viewer)
    page = client.get(TOOL_URL).content.decode()
    assert f"#{QID}-{agreed_region},#{QID}-round" in page  # what the page's poll swaps
    etag = poll(client, TOOL_URL)["ETag"]
    respond(other_writer.user, collab, open_round, "object", "Who breaks a tie?")
    answer = poll(client, TOOL_URL, etag)
    assert answer.status_code == 200
    fragment = answer.content.decode()
    assert f'<div id="{QID}-round">' in fragment
    assert tally in fragment
    assert "Who breaks a tie?" in fragment and "<cite>Northfield Manufacturing</cite>" in fragment
    # Not the agreed answer's region: neither the facilitator's editor and outcome statement
    # nor the partner's response form, where someone may be typing.
    assert f'id="{QID}-agreed"' not in fragment
    assert "<textarea" not in fragment and "<form" not in fragment
    assert poll(client, TOOL_URL, answer["ETag"]).status_code == 304


def test_the_presenter_poll_with_a_round_is_still_one_query(
    collab, facilitator_client, open_round, django_assert_num_queries
):
    etag = poll(facilitator_client, PRESENT_URL)["ETag"]
    # The session, the user, the membership, the version.
    with django_assert_num_queries(4):
        assert poll(facilitator_client, PRESENT_URL, etag).status_code == 304


def test_a_partners_poll_keeps_their_response_form_when_the_agreed_answer_is_redrawn(
    collab, partner_client, facilitator, open_round
):
    etag = poll(partner_client, TOOL_URL)["ETag"]
    save_agreed(facilitator, collab, "Care leavers first, then the rest.", base_version=1)
    answer = poll(partner_client, TOOL_URL, etag)
    assert answer.status_code == 200
    page = answer.content.decode()
    assert f'id="{QID}-agreed"' in page and "Partners are asked to agree (round 1)" in page
    # htmx keeps the form on the page as it is (what the partner is choosing or typing).
    form = page[page.index(f'id="{QID}-respond"') :].split(">", 1)[0]
    assert "hx-preserve" in form
    assert page.count('name="position"') == 4


def test_the_presenters_poll_with_names_revealed_does_not_grow_with_organisations(
    collab, facilitator_client, facilitator, open_round
):
    services.proposal_names_show(
        access=access_of(facilitator, collab), proposal=open_round, reveal=True
    )
    counts = []
    for size in (3, 30):
        for i in range(size):
            user = make_user(f"r{size}-{i}@test.example")
            make_member(user, collab, Role.PARTNER, make_partner(collab, f"R{size}-{i}"))
            respond(user, collab, open_round, "reservations", f"Reason {size}-{i}")
        with CaptureQueriesContext(connection) as queries:
            answer = poll(facilitator_client, PRESENT_URL)
        assert answer.status_code == 200
        assert f"Reason {size}-{size - 1}" in answer.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("viewer", ["facilitator_client", "partner_client"])
def test_a_tool_page_poll_of_the_round_does_not_grow_with_organisations(
    collab, open_round, viewer, request
):
    client = request.getfixturevalue(viewer)
    counts = []
    for size in (3, 30):
        etag = poll(client, TOOL_URL)["ETag"]
        for i in range(size):
            user = make_user(f"t{size}-{i}@test.example")
            make_member(user, collab, Role.PARTNER, make_partner(collab, f"T{size}-{i}"))
            respond(user, collab, open_round, "reservations", f"Reason {size}-{i}")
        with CaptureQueriesContext(connection) as queries:
            answer = poll(client, TOOL_URL, etag)
        assert f'<div id="{QID}-round">' in answer.content.decode()
        assert f"Reason {size}-{size - 1}" in answer.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]
