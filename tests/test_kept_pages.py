"""Kept pages (pagecache.py): served again only while nothing changed, each response its own.

A kept page must never show something older than the database, never reach another person,
and never carry another browser's CSRF token or an earlier response's CSP nonce.
"""

import datetime
import re
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intersector.worksheets import selectors
from tests.conftest import client_for, make_partner
from tests.dashboards.helpers import agree

KEY = "diagnose.engage.who-else-works-on-it"


def tool_url(slug="youth-jobs"):
    return reverse("diagnose:tool", kwargs={"slug": slug, "tool_slug": "engage-potential-partners"})


def dashboard_url(slug="youth-jobs"):
    return reverse("dashboards:collaboration", kwargs={"slug": slug})


def autosave(client, text, base_version):
    response = client.post(
        reverse("worksheets:perspective-save", kwargs={"slug": "youth-jobs", "question_key": KEY}),
        {"text": text, "base_version": base_version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    return response


def nonce_of(response) -> tuple[str, str]:
    header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    page = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    return header, page


def csrf_of(response) -> str:
    return re.search(r'"x-csrftoken": "([^"]+)"', response.content.decode()).group(1)


PAGES = [
    pytest.param(
        lambda: reverse("worksheets:overview", kwargs={"slug": "youth-jobs"}), id="overview"
    ),
    pytest.param(lambda: reverse("diagnose:index", kwargs={"slug": "youth-jobs"}), id="stage"),
    pytest.param(tool_url, id="tool"),
    pytest.param(dashboard_url, id="dashboard"),
]


@pytest.mark.parametrize("url", PAGES)
def test_a_page_asked_for_again_unchanged_is_served_kept_and_the_same(
    url, facilitator_client, partner_org, django_assert_max_num_queries
):
    first = facilitator_client.get(url())
    with django_assert_max_num_queries(3):  # session, person, membership with its marker
        again = facilitator_client.get(url())
    assert again.status_code == 200

    def without_secrets(response):
        text = response.content.decode().replace(csrf_of(response), "")
        return text.replace(nonce_of(response)[1], "")

    assert without_secrets(again) == without_secrets(first)


@pytest.mark.parametrize("url", PAGES)
def test_a_change_by_someone_else_shows_at_once(
    url, facilitator_client, partner_client, partner_org
):
    assert "We run two clubs." not in facilitator_client.get(tool_url()).content.decode()
    facilitator_client.get(url())
    autosave(partner_client, "We run two clubs.", 0)
    assert "We run two clubs." in facilitator_client.get(tool_url()).content.decode()
    make_partner(partner_org.collaboration, "River Trust")
    assert "River Trust" in facilitator_client.get(dashboard_url()).content.decode()


def test_a_kept_page_is_only_ever_served_to_the_person_it_was_rendered_for(
    facilitator_client, partner_client, observer, partner_org
):
    autosave(partner_client, "We run two clubs.", 0)
    facilitator_page = facilitator_client.get(tool_url()).content.decode()
    assert "Fran Facilitator" in facilitator_page
    partner_page = partner_client.get(tool_url()).content.decode()
    assert "Pat Partner" in partner_page and "Fran Facilitator" not in partner_page
    observer_page = client_for(observer).get(tool_url()).content.decode()
    assert 'name="text"' not in observer_page  # an observer only reads
    assert 'name="text"' in partner_page


def test_a_kept_page_never_reaches_someone_outside_the_collaboration(
    facilitator_client, outsider, partner_user, partner_org, collab
):
    assert facilitator_client.get(dashboard_url()).status_code == 200
    assert client_for(outsider).get(dashboard_url()).status_code == 404
    partner_client = client_for(partner_user)
    assert partner_client.get(dashboard_url()).status_code == 200
    partner_user.memberships.get(collaboration=collab).delete()
    assert partner_client.get(dashboard_url()).status_code == 404


def test_each_response_of_a_kept_page_has_its_own_nonce(facilitator_client, partner_org):
    first = facilitator_client.get(dashboard_url())
    again = facilitator_client.get(dashboard_url())
    header, page = nonce_of(again)
    assert header == page
    assert page != nonce_of(first)[1]


def test_a_kept_page_carries_the_csrf_token_of_the_browser_it_is_sent_to(facilitator, partner_org):
    # The same person in two browsers: the second gets the page the first one had rendered,
    # with a token its own CSRF cookie accepts.
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(facilitator)
    second.force_login(facilitator)
    first.get(tool_url())
    page = second.get(tool_url())
    response = second.post(
        reverse("worksheets:comment-add", kwargs={"slug": "youth-jobs", "question_key": KEY}),
        {"text": "Ask the library too."},
        headers={"HX-Request": "true", "X-CSRFToken": csrf_of(page)},
    )
    assert response.status_code == 200
    assert "Ask the library too." in second.get(tool_url()).content.decode()


def test_a_page_with_a_message_to_show_is_rendered_afresh_with_it(partner_client, partner_org):
    partner_client.get(tool_url())  # kept without a message
    # Without JavaScript the form posts and is redirected back with a message.
    response = partner_client.post(
        reverse("worksheets:perspective-save", kwargs={"slug": "youth-jobs", "question_key": KEY}),
        {"text": "We run two clubs.", "base_version": 0},
        follow=True,
    )
    assert "Your perspective is saved." in response.content.decode()
    assert "We run two clubs." in response.content.decode()
    assert "Your perspective is saved." not in partner_client.get(tool_url()).content.decode()


def test_a_renamed_person_shows_renamed_on_kept_pages(
    facilitator_client, partner_user, partner_org
):
    autosave(client_for(partner_user), "We run two clubs.", 0)
    assert "Pat Partner" in facilitator_client.get(tool_url()).content.decode()
    partner_user.full_name = "Patricia Partner"
    partner_user.save()
    assert "Patricia Partner" in facilitator_client.get(tool_url()).content.decode()


def test_the_next_day_a_kept_page_is_rendered_again(facilitator_client, partner_org):
    # Overdue tasks and late milestones are counted against today's date.
    facilitator_client.get(dashboard_url())
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with (
        mock.patch("intersector.pagecache.timezone.localdate", return_value=tomorrow),
        CaptureQueriesContext(connection) as queries,
    ):
        assert facilitator_client.get(dashboard_url()).status_code == 200
    assert len(queries) > 3


# Kept answers (worksheets.selectors.collaboration_answers) -----------------------------------


def engage_progress(client) -> tuple[str, str]:
    """The stage page's figures for "Engage potential partners": (answered, agreed)."""
    page = client.get(reverse("diagnose:index", kwargs={"slug": "youth-jobs"})).content.decode()
    answered = re.search(r"(\d+) of 6 questions, from \d+ partner", page).group(1)
    agreed = re.search(r"<dt>Agreed</dt><dd>(\d+) of 6</dd>", page).group(1)
    return answered, agreed


def stage_page_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        engage_progress(client)
    return [query["sql"] for query in queries]


def test_progress_counts_a_first_answer_and_a_cleared_one_but_keeps_its_answers_through_edits(
    facilitator_client, partner_client, partner_org
):
    assert engage_progress(facilitator_client) == ("0", "0")
    autosave(partner_client, "We run two clubs.", 0)
    assert engage_progress(facilitator_client) == ("1", "0")
    autosave(partner_client, "We run two clubs and a mentoring scheme.", 1)
    with mock.patch.object(selectors, "stage_progress", wraps=selectors.stage_progress) as counted:
        queries = stage_page_queries(facilitator_client)
    assert counted.call_count == 1  # the page is rendered again, not served kept ...
    assert not any("worksheets_currentperspective" in sql for sql in queries)  # ... answers kept
    assert engage_progress(facilitator_client) == ("1", "0")
    autosave(partner_client, "", 2)
    assert engage_progress(facilitator_client) == ("0", "0")


def test_progress_counts_an_agreed_answer_at_once(facilitator_client, partner_client, partner_org):
    autosave(partner_client, "We run two clubs.", 0)
    assert engage_progress(facilitator_client) == ("1", "0")
    agree(partner_org.collaboration, KEY)
    assert engage_progress(facilitator_client) == ("1", "1")


def test_a_partners_removal_takes_its_answers_out_of_the_progress(
    facilitator_client, partner_client, partner_org
):
    autosave(partner_client, "We run two clubs.", 0)
    assert engage_progress(facilitator_client) == ("1", "0")
    partner_org.delete()
    assert engage_progress(facilitator_client) == ("0", "0")
