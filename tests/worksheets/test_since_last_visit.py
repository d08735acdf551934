"""The overview marks what the others did since the person last opened it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from intersector.collaborations.models import Membership, Role
from intersector.worksheets.models import Comment
from intersector.worksheets.toolkit import questions_by_key
from tests.dashboards.helpers import KEYS, answer, consensus_version
from tests.world import make_member, make_partner, make_user

pytestmark = pytest.mark.django_db


def overview(client, collab) -> str:
    return client.get(reverse("worksheets:overview", args=[collab.slug])).content.decode()


def test_new_perspectives_comments_and_agreed_answers_are_marked_by_tool(
    collab, partner_user, partner_client, partner_org, other_partner_org, facilitator
):
    first = overview(partner_client, collab)
    assert "since your last visit" not in first  # nothing to compare with the first time
    Membership.objects.filter(user=partner_user).update(
        overview_seen_at=timezone.now() - datetime.timedelta(days=2)
    )
    stage, tool, _question = questions_by_key()[KEYS[0]]
    answer(other_partner_org, KEYS[0])
    answer(partner_org, KEYS[1])  # my own organisation's: not news to me
    Comment.objects.create(collaboration=collab, question_key=KEYS[0], text="x", author=facilitator)
    consensus_version(
        collaboration=collab, question_key=KEYS[0], version=1, text="We agree.", author=facilitator
    )
    page = overview(partner_client, collab)
    assert "New since your last visit, 2\xa0days ago" in page
    tool_url = reverse(f"{stage.key}:tool", args=[collab.slug, tool.slug])
    assert f'<a href="{tool_url}">{tool.name}</a>' in page
    assert "1 perspective<" in page and "1 comment<" in page and "1 agreed answer changed" in page
    # The visit is remembered: reloading shows nothing new.
    assert "Nothing new from the others since your last visit" in overview(partner_client, collab)


def test_the_marks_are_counted_in_a_fixed_number_of_queries(
    collab, partner_user, partner_client, django_assert_num_queries
):
    def visit_after(n: int) -> int:
        for i in range(n):
            org = make_partner(collab, f"Organisation {n}-{i}")
            make_member(make_user(f"m{n}-{i}@test.example"), collab, Role.PARTNER, org)
            for key in KEYS[:3]:
                answer(org, key)
        Membership.objects.filter(user=partner_user).update(
            overview_seen_at=timezone.now() - datetime.timedelta(hours=1)
        )
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            overview(partner_client, collab)
        return len(queries)

    assert visit_after(2) == visit_after(8)
