"""Perspective and agreed-answer saves: permissions, conflicts, self-saves, query budget."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intersector.collaborations.models import Role
from intersector.worksheets.models import (
    Comment,
    Consensus,
    Perspective,
    PerspectiveRevision,
    StageMove,
)
from tests.conftest import client_for, make_member, make_user

KEY = "diagnose.engage.who-else-works-on-it"
OTHER_KEY = "design.facts.facts-we-accept"


def save_url(key=KEY, slug="youth-jobs"):
    return reverse("worksheets:perspective-save", kwargs={"slug": slug, "question_key": key})


def agreed_url(key=KEY, slug="youth-jobs"):
    return reverse("worksheets:consensus-save", kwargs={"slug": slug, "question_key": key})


def comment_url(key=KEY, slug="youth-jobs"):
    return reverse("worksheets:comment-add", kwargs={"slug": slug, "question_key": key})


def hx(client, url, data):
    return client.post(url, data, headers={"HX-Request": "true"})


def echoed_version(response) -> int:
    match = re.search(r'name="base_version" value="(\d+)"', response.content.decode())
    return int(match.group(1))


def current(partner, key=KEY):
    return (
        Perspective.objects.filter(partner=partner, question_key=key).order_by("-version").first()
    )


# Saving ------------------------------------------------------------------------------------


def test_partner_saves_own_organisations_perspective_with_htmx(partner_client, partner_org):
    response = hx(partner_client, save_url(), {"text": "We run two clubs.", "base_version": 0})
    assert response.status_code == 200
    assert "Saved at" in response.content.decode()
    assert echoed_version(response) == 1
    row = current(partner_org)
    assert (row.text, row.version, row.author.email) == (
        "We run two clubs.",
        1,
        "partner@test.example",
    )


def test_partner_cannot_write_another_organisations_perspective(
    partner_client, partner_org, other_partner_org
):
    hx(
        partner_client,
        save_url(),
        {"text": "Hi", "base_version": 0, "partner": other_partner_org.pk},
    )
    assert not Perspective.objects.filter(partner=other_partner_org).exists()
    assert current(partner_org).text == "Hi"


def test_plain_post_saves_and_redirects_back_to_the_question(partner_client, partner_org):
    response = partner_client.post(save_url(), {"text": "No JavaScript", "base_version": 0})
    assert response.status_code == 302
    assert response["Location"].endswith(
        "/diagnose/tools/engage-potential-partners/#q-diagnose--engage--who-else-works-on-it"
    )
    assert current(partner_org).text == "No JavaScript"


def test_saving_the_same_text_again_is_not_a_new_revision(partner_client, partner_org):
    hx(partner_client, save_url(), {"text": "Same", "base_version": 0})
    response = hx(partner_client, save_url(), {"text": "Same", "base_version": 1})
    assert response.status_code == 200
    assert Perspective.objects.count() == 1


def test_too_long_text_gets_a_clear_message_and_saves_nothing(partner_client):
    response = hx(partner_client, save_url(), {"text": "x" * 10_001, "base_version": 0})
    assert response.status_code == 422
    assert "the limit is 10,000" in response.content.decode()
    assert not Perspective.objects.exists()


def test_too_long_text_without_javascript_keeps_the_text_on_the_page(partner_client):
    text = "y" * 10_001
    response = partner_client.post(save_url(), {"text": text, "base_version": 0})
    assert response.status_code == 422
    assert text in response.content.decode()
    assert not Perspective.objects.exists()


def test_unknown_question_key_gets_a_clear_message_and_saves_nothing(partner_client):
    response = partner_client.post(
        save_url(key="diagnose.engage.no-such-question"), {"text": "Keep me", "base_version": 0}
    )
    assert response.status_code == 422
    assert "no longer exists" in response.content.decode()
    assert "Keep me" in response.content.decode()
    assert not Perspective.objects.exists()


def test_bad_base_version_is_a_clear_message_not_a_500(partner_client):
    response = hx(partner_client, save_url(), {"text": "x", "base_version": "abc"})
    assert response.status_code == 422
    assert not Perspective.objects.exists()


# Permissions ---------------------------------------------------------------------------------


def test_observer_cannot_write_anything(observer_client):
    assert hx(observer_client, save_url(), {"text": "x", "base_version": 0}).status_code == 403
    assert hx(observer_client, comment_url(), {"text": "x"}).status_code == 403
    assert (
        hx(
            observer_client, agreed_url(), {"text": "x", "status": "open", "base_version": 0}
        ).status_code
        == 403
    )
    assert not (
        Perspective.objects.exists() or Comment.objects.exists() or Consensus.objects.exists()
    )


def test_outsider_gets_404_everywhere(outsider_client, collab):
    for url in (
        save_url(),
        agreed_url(),
        comment_url(),
        reverse("worksheets:stage-move", args=[collab.slug]),
    ):
        assert outsider_client.post(url, {"text": "x", "base_version": 0}).status_code == 404
    for url in (
        "/c/youth-jobs/diagnose/",
        "/c/youth-jobs/diagnose/tools/engage-potential-partners/",
    ):
        assert outsider_client.get(url).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, collab):
    response = client.post(save_url(), {"text": "x", "base_version": 0})
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_partner_cannot_write_the_agreed_answer(partner_client):
    response = hx(
        partner_client, agreed_url(), {"text": "x", "status": "agreed", "base_version": 0}
    )
    assert response.status_code == 403
    assert not Consensus.objects.exists()


def test_partner_without_organisation_is_told_why_and_saves_nothing(collab):
    user = make_user("loose@test.example")
    make_member(user, collab, Role.PARTNER)
    client = client_for(user)
    response = hx(client, save_url(), {"text": "x", "base_version": 0})
    assert response.status_code == 422
    assert "do not speak for a partner organisation" in response.content.decode()
    page = client.get("/c/youth-jobs/diagnose/tools/engage-potential-partners/")
    assert "Ask a facilitator to link you" in page.content.decode()
    assert not Perspective.objects.exists()


def test_facilitator_records_agreed_answer_and_partner_reads_it(facilitator_client, partner_client):
    response = hx(
        facilitator_client,
        agreed_url(),
        {"text": "We agree.", "status": "agreed", "base_version": 0},
    )
    assert response.status_code == 200
    row = Consensus.objects.get()
    assert (row.text, row.status, row.version) == ("We agree.", "agreed", 1)
    page = partner_client.get("/c/youth-jobs/diagnose/tools/engage-potential-partners/")
    assert "We agree." in page.content.decode()
    assert "-agreed-status" not in page.content.decode()  # partners read, not edit


def test_members_comment_with_htmx_and_without(partner_client, facilitator_client):
    response = hx(partner_client, comment_url(), {"text": "Worried about <b>costs</b>"})
    assert response.status_code == 200
    assert "Worried about &lt;b&gt;costs&lt;/b&gt;" in response.content.decode()
    assert facilitator_client.post(comment_url(), {"text": "Noted"}).status_code == 302
    assert hx(partner_client, comment_url(), {"text": "  "}).status_code == 422
    assert Comment.objects.count() == 2


# Stage moves -------------------------------------------------------------------------------


def test_facilitator_moves_stage_forward_and_back_recorded(facilitator_client, facilitator, collab):
    url = reverse("worksheets:stage-move", args=[collab.slug])
    facilitator_client.post(url, {"to_stage": "design", "from_stage": "diagnose"})
    collab.refresh_from_db()
    assert collab.current_stage == "design"
    facilitator_client.post(url, {"to_stage": "diagnose", "from_stage": "design"})
    collab.refresh_from_db()
    assert collab.current_stage == "diagnose"
    moves = list(StageMove.objects.order_by("pk").values_list("from_stage", "to_stage", "moved_by"))
    assert moves == [("diagnose", "design", facilitator.pk), ("design", "diagnose", facilitator.pk)]


def test_stale_stage_move_changes_nothing(facilitator_client, collab):
    url = reverse("worksheets:stage-move", args=[collab.slug])
    response = facilitator_client.post(
        url, {"to_stage": "assess", "from_stage": "design"}, follow=True
    )
    collab.refresh_from_db()
    assert collab.current_stage == "diagnose"
    assert "Someone else moved the stage" in response.content.decode()


@pytest.mark.parametrize("who", ["partner_client", "observer_client"])
def test_only_facilitators_move_stages(who, request, collab):
    client = request.getfixturevalue(who)
    url = reverse("worksheets:stage-move", args=[collab.slug])
    assert client.post(url, {"to_stage": "design"}).status_code == 403
    collab.refresh_from_db()
    assert collab.current_stage == "diagnose"


# No lost updates ---------------------------------------------------------------------------


def test_hundred_two_writer_races_lose_no_update(collab, partner_org):
    """Two people speak for the same organisation; both start from version v and save."""
    alice = client_for(make_user("alice@test.example", "Alice"))
    bob = client_for(make_user("bob@test.example", "Bob"))
    for user in ("alice@test.example", "bob@test.example"):
        from django.contrib.auth import get_user_model

        make_member(get_user_model().objects.get(email=user), collab, Role.PARTNER, partner_org)
    acknowledged, conflicts = [], 0
    for round_ in range(100):
        v = current(partner_org).version if round_ else 0
        first, second = (alice, bob) if round_ % 2 == 0 else (bob, alice)
        win = hx(first, save_url(), {"text": f"win {round_}", "base_version": v})
        lose = hx(second, save_url(), {"text": f"lose {round_}", "base_version": v})
        assert win.status_code == 200
        acknowledged.append(f"win {round_}")
        assert lose.status_code == 409
        body = lose.content.decode()
        assert "Not saved" in body and f"win {round_}" in body  # shows the other text
        assert echoed_version(lose) == v + 1  # so the loser can merge and save again
        conflicts += 1
        assert current(partner_org).text == f"win {round_}"
    stored = set(
        PerspectiveRevision.objects.filter(partner=partner_org).values_list("text", flat=True)
    )
    lost = [text for text in acknowledged if text not in stored]
    assert lost == [] and conflicts == 100
    assert not any(text.startswith("lose") for text in stored)


def test_fifty_rapid_saves_echoing_the_version_never_conflict(partner_client, partner_org):
    version, statuses, text = 0, [], ""
    for i in range(50):
        text = "typing" + "x" * i
        response = hx(partner_client, save_url(), {"text": text, "base_version": version})
        statuses.append(response.status_code)
        version = echoed_version(response)
    assert statuses.count(409) == 0 and set(statuses) == {200}
    assert current(partner_org).text == text and version == 50


def test_conflict_without_javascript_shows_both_texts_and_new_base(
    partner_client, partner_org, collab
):
    hx(partner_client, save_url(), {"text": "Theirs", "base_version": 0})
    response = partner_client.post(save_url(), {"text": "Mine", "base_version": 0})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Theirs" in body and ">Mine</textarea>" in body
    assert 'name="base_version" value="1"' in body


def test_agreed_answer_conflict_keeps_the_facilitators_text(facilitator_client):
    hx(facilitator_client, agreed_url(), {"text": "First", "status": "open", "base_version": 0})
    response = hx(
        facilitator_client, agreed_url(), {"text": "Second", "status": "agreed", "base_version": 0}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "First" in body and ">Second</textarea>" in body
    assert Consensus.objects.count() == 1


# Query budget --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_save_costs_five_statements(collab, partner_user, partner_org):
    """Session, user, membership (with collaboration and organisation), the UPDATE of the
    answer and the INSERT of its revision, in one transaction (SQLite also logs its BEGIN and
    COMMIT; PostgreSQL's driver sends those without a logged query)."""
    client = client_for(partner_user)
    hx(client, save_url(), {"text": "first", "base_version": 0})
    with CaptureQueriesContext(connection) as queries:
        response = hx(client, save_url(), {"text": "second", "base_version": 1})
    assert response.status_code == 200
    statements = [
        q["sql"].split()[0] for q in queries.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")
    ]
    assert statements == ["SELECT", "SELECT", "SELECT", "UPDATE", "INSERT"]
    assert current(partner_org).text == "second"
