"""Stage and tool pages: content, progress and constant query counts."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from intersector.collaborations.access import Access
from intersector.collaborations.models import Membership, Role
from intersector.worksheets import services
from intersector.worksheets.models import (
    Comment,
    Consensus,
    ConsensusRevision,
    Perspective,
    PerspectiveRevision,
)
from intersector.worksheets.toolkit import get_stage
from tests.conftest import make_member, make_partner, make_user
from tests.dashboards.helpers import consensus_version, perspective_version

TOOL_URL = "/c/youth-jobs/diagnose/tools/engage-potential-partners/"
STAGE_URL = "/c/youth-jobs/diagnose/"
HISTORY_URL = "/c/youth-jobs/worksheets/diagnose.engage.who-is-affected/history/"
MORE_URL = "/c/youth-jobs/worksheets/diagnose.engage.who-is-affected/perspectives/"
QID = "q-diagnose--engage--who-is-affected"


def grow(collab, n_partners: int, versions: int = 3):
    """n partners, each with several versions on every question of the Diagnose stage."""
    now = timezone.now()
    keys = [q.key for t in get_stage("diagnose").tools for q in t.questions]
    for i in range(n_partners):
        partner = make_partner(collab, f"Org {i}", sector="business" if i % 2 else "nonprofit")
        user = make_user(f"user{i}@test.example", f"User {i}")
        make_member(user, collab, Role.PARTNER, partner)
        answer = {"collaboration": collab, "partner": partner, "author": user}
        PerspectiveRevision.objects.bulk_create(
            PerspectiveRevision(
                **answer, question_key=key, version=v, text=f"{key} v{v}", created_at=now
            )
            for key in keys
            for v in range(1, versions + 1)
        )
        Perspective.objects.bulk_create(
            Perspective(**answer, question_key=key, version=versions, text=f"{key} v{versions}")
            for key in keys
        )
        Comment.objects.bulk_create(
            Comment(collaboration=collab, question_key=key, author=user, text="c") for key in keys
        )
    agreed = {"collaboration": collab, "text": "ok", "status": "agreed"}
    ConsensusRevision.objects.bulk_create(
        ConsensusRevision(**agreed, question_key=key, version=v, created_at=now)
        for key in keys
        for v in (1, 2)
    )
    Consensus.objects.bulk_create(Consensus(**agreed, question_key=key, version=2) for key in keys)


def test_stage_page_shows_progress_per_tool(collab, partner_client, partner_org, other_partner_org):
    now = timezone.now()
    perspective_version(
        collaboration=collab,
        question_key="diagnose.engage.who-is-affected",
        partner=partner_org,
        version=1,
        text="a",
        created_at=now,
    )
    perspective_version(
        collaboration=collab,
        question_key="diagnose.engage.who-is-affected",
        partner=other_partner_org,
        version=1,
        text="b",
        created_at=now,
    )
    consensus_version(
        collaboration=collab,
        question_key="diagnose.engage.who-is-affected",
        version=1,
        text="x",
        status="agreed",
        created_at=now,
    )
    body = partner_client.get(STAGE_URL).content.decode()
    assert "Could a cross-sector approach actually help with our problem?" in body
    assert "1 of 6 questions, from 2 partners" in body
    assert "1 of 21 questions have perspectives · 1 agreed" in body


def test_tool_page_shows_other_partners_with_sector_and_history(
    collab, partner_client, partner_org, other_partner_org
):
    now = timezone.now()
    # An hour apart: autosaves by one person within minutes are shown as a single edit.
    for v, text in ((1, "Early draft"), (2, "Final words")):
        perspective_version(
            collaboration=collab,
            question_key="diagnose.engage.who-is-affected",
            partner=other_partner_org,
            version=v,
            text=text,
            created_at=now + timedelta(hours=v),
        )
    body = partner_client.get(TOOL_URL).content.decode()
    assert "Northfield Manufacturing" in body and "Business" in body
    assert "Final words" in body and "Early draft" not in body  # only the current version
    assert "Our organisation&#x27;s perspective" in body or "Our organisation's perspective" in body
    # The history is not on the page: the disclosure loads it (htmx) or links to it (no JS).
    assert f'hx-get="{HISTORY_URL}"' in body and f'href="{HISTORY_URL}"' in body
    fragment = partner_client.get(HISTORY_URL, headers={"HX-Request": "true"}).content.decode()
    assert "<del>Early draft</del>" in fragment and "<ins>Final words</ins>" in fragment
    assert "<h1" not in fragment and "Northfield Manufacturing" in fragment
    page = partner_client.get(HISTORY_URL).content.decode()
    assert page.count("<h1") == 1 and "<del>Early draft</del>" in page
    assert f'href="{TOOL_URL}#q-diagnose--engage--who-is-affected"' in page


def test_history_coalesces_autosaves_and_shows_agreed_answer(collab, observer_client, partner_org):
    now = timezone.now()
    for v, (text, minutes) in enumerate((("One", 0), ("One two", 2), ("One two three", 90)), 1):
        perspective_version(
            collaboration=collab,
            question_key="diagnose.engage.who-is-affected",
            partner=partner_org,
            version=v,
            text=text,
            created_at=now + timedelta(minutes=minutes),
        )
    consensus_version(
        collaboration=collab,
        question_key="diagnose.engage.who-is-affected",
        version=1,
        text="Agreed words",
        status="agreed",
        created_at=now + timedelta(hours=3),
    )
    body = observer_client.get(HISTORY_URL, headers={"HX-Request": "true"}).content.decode()
    assert body.count('class="history__entry"') == 3  # two autosaves within minutes: one edit
    assert (
        body.index("Agreed answer")
        < body.index("<ins>three</ins>")
        < body.index("<ins>One two</ins>")
    )


def test_history_of_an_unknown_question_is_not_found(collab, partner_client):
    assert partner_client.get("/c/youth-jobs/worksheets/no.such.key/history/").status_code == 404


@pytest.mark.parametrize("n_partners", [1, 8])
def test_history_query_count_is_constant(
    n_partners, collab, partner_client, django_assert_max_num_queries
):
    grow(collab, n_partners)
    with django_assert_max_num_queries(5):
        response = partner_client.get(HISTORY_URL, headers={"HX-Request": "true"})
    assert response.content.decode().count('class="history__entry"') == n_partners + 1


def test_observer_reads_tool_page_without_forms(collab, observer_client):
    body = observer_client.get(TOOL_URL).content.decode()
    assert "<textarea" not in body
    assert body.count("<h1") == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="true concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_on_postgres_never_both_win(collab, partner_org):
    """Real threads racing the same base version: exactly one wins each round."""
    users = [make_user(f"racer{i}@test.example") for i in range(2)]
    memberships = [make_member(u, collab, Role.PARTNER, partner_org) for u in users]
    accesses = [
        Access(
            collaboration=collab,
            membership=Membership.objects.select_related("partner").get(pk=m.pk),
        )
        for m in memberships
    ]
    key = "diagnose.engage.who-is-affected"
    lost = 0
    for round_ in range(100):
        barrier, results = threading.Barrier(2), [None, None]

        def race(i, base=round_, barrier=barrier, results=results):
            barrier.wait()
            try:
                services.perspective_save(
                    access=accesses[i], question_key=key, text=f"{base}-{i}", base_version=base
                )
                results[i] = "saved"
            except services.Conflict:
                results[i] = "conflict"
            finally:
                connection.close()

        threads = [threading.Thread(target=race, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == ["conflict", "saved"], results
        winner = results.index("saved")
        latest = Perspective.objects.filter(question_key=key).order_by("-version").first()
        lost += latest.text != f"{round_}-{winner}"
    assert lost == 0


@pytest.mark.parametrize("who", ["facilitator_client", "partner_client", "observer_client"])
def test_every_tool_page_and_stage_page_renders_for_every_role(who, request, collab):
    client = request.getfixturevalue(who)
    from intersector.worksheets.toolkit import stages

    for stage in stages():
        response = client.get(f"/c/youth-jobs/{stage.key}/")
        assert response.status_code == 200 and response.content.decode().count("<h1") == 1
        for tool in stage.tools:
            response = client.get(f"/c/youth-jobs/{stage.key}/tools/{tool.slug}/")
            assert response.status_code == 200, tool.slug
            assert response.content.decode().count("<h1") == 1


def test_many_perspectives_show_the_first_five_and_load_the_rest_on_demand(
    collab, partner_client, django_assert_max_num_queries
):
    grow(collab, 10, versions=1)
    body = partner_client.get(TOOL_URL).content.decode()
    question = body.split(f'id="{QID}"')[1].split('class="card question"')[0]
    first, more = question.split('<details class="perspectives__more"')
    assert first.count('class="perspective sector-edge') == 5
    assert "Show 5 more perspectives" in more and 'class="perspective sector-edge' not in more
    assert f'hx-get="{MORE_URL}"' in more and f'href="{MORE_URL}"' in more
    assert "Read all 10 perspectives on this question" in more
    with django_assert_max_num_queries(4):
        fragment = partner_client.get(MORE_URL, headers={"HX-Request": "true"}).content.decode()
    assert fragment.count('class="perspective sector-edge') == 5
    assert "Org 8" in fragment and "Org 9" in fragment and "<h1" not in fragment
    page = partner_client.get(MORE_URL).content.decode()  # without JavaScript: all of them
    assert page.count('class="perspective sector-edge') == 10 and page.count("<h1") == 1


def test_all_perspectives_page_leaves_out_my_own_and_cleared_ones(
    collab, partner_client, partner_org, other_partner_org
):
    now = timezone.now()
    for partner, version, text in ((partner_org, 1, "Mine"), (other_partner_org, 1, "Theirs")):
        perspective_version(
            collaboration=collab,
            question_key="diagnose.engage.who-is-affected",
            partner=partner,
            version=version,
            text=text,
            created_at=now,
        )
    perspective_version(
        collaboration=collab,
        question_key="diagnose.engage.who-is-affected",
        partner=other_partner_org,
        version=2,
        text="",
        created_at=now,
    )
    page = partner_client.get(MORE_URL).content.decode()
    assert "Mine" not in page and "Theirs" not in page
    assert "No other partner has written on this question yet." in page
    assert partner_client.get("/c/youth-jobs/worksheets/no.such/perspectives/").status_code == 404


def test_progress_counts_only_the_newest_version_and_not_a_cleared_answer(
    collab, partner_org, other_partner_org
):
    from intersector.worksheets.selectors import current_answers

    now = timezone.now()
    key, other_key = "diagnose.engage.who-is-affected", "diagnose.engage.missing-sector"
    rows = [  # (partner, key, version, text): partner_org cleared its answer to `key`
        (partner_org, key, 1, "First"),
        (partner_org, key, 2, ""),
        (other_partner_org, key, 1, ""),
        (other_partner_org, key, 2, "Now written"),
        (partner_org, other_key, 1, "Only version"),
    ]
    for partner, question_key, version, text in rows:
        perspective_version(
            collaboration=collab,
            question_key=question_key,
            partner=partner,
            version=version,
            text=text,
            created_at=now,
        )
    for version, status in ((1, "agreed"), (2, "discussed")):
        consensus_version(
            collaboration=collab,
            question_key=key,
            version=version,
            text="x",
            status=status,
            created_at=now,
        )
    answers = current_answers([collab.pk])[collab.pk]
    assert answers.partners_by_key == {key: {other_partner_org.pk}, other_key: {partner_org.pk}}
    assert answers.agreed_keys == set()  # agreed once, then reopened
    assert current_answers([]) == {}
