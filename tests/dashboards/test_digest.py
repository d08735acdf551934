"""The digest: at about 07:00 in each person's time zone, what waits for them and what changed,
by collaboration, only when there is something in it, and never twice."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from design.models import Task
from intersector.collaborations.access import Access
from intersector.collaborations.models import Membership, Role, Stage
from intersector.dashboards.digest import digest_day, digests_send
from intersector.notifications.models import EmailDelivery, Notification, NotificationSettings
from intersector.worksheets.models import Comment
from intersector.worksheets.services import stage_move
from tests.dashboards.helpers import KEYS, answer
from tests.tasks import committed, run_queued_tasks
from tests.world import (
    client_for,
    make_activity,
    make_collaboration,
    make_member,
    make_milestone,
    make_partner,
    make_task,
    make_user,
)

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def at(day: int, hour: int, minute: int = 0, zone=BERLIN) -> datetime.datetime:
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=zone)


def sweep(now) -> list:
    """Run the sweep at ``now`` and send what it queued; the digests that went out."""
    with committed():
        digests_send(now)
    run_queued_tasks()
    return [m for m in mail.outbox if "Intersector" in m.subject]


def schedule(user, **fields) -> NotificationSettings:
    fields.setdefault("time_zone", "Europe/Berlin")
    row, _ = NotificationSettings.objects.update_or_create(user=user, defaults=fields)
    return row


@pytest.fixture
def something_new(collab, partner_org, other_partner_org):
    """Three new perspectives of another organisation, and a comment."""
    for key in KEYS[:3]:
        answer(other_partner_org, key)
    Comment.objects.create(collaboration=collab, question_key=KEYS[0], text="Agreed.")


def test_the_digest_arrives_after_seven_in_the_morning_of_the_persons_time_zone(
    partner_user, something_new
):
    schedule(partner_user, last_digest_at=at(1, 7, 5))
    assert sweep(at(2, 6, 55)) == []  # 06:55 in Berlin
    sent = sweep(at(2, 7, 2))
    assert [m.to for m in sent] == [[partner_user.email]]
    assert sweep(at(2, 7, 3)) == sent  # the next sweep sends nothing more
    assert sweep(at(2, 13, 0)) == sent


def test_its_content_waiting_first_then_counted_changes_each_linking_to_its_page(
    collab, partner_user, partner_org, facilitator, something_new
):
    activity = make_activity(collab, lead=partner_org)
    task = make_task(activity, partner_org, title="Recruit twenty mentors")
    Task.objects.filter(pk=task.pk).update(due=datetime.date(2026, 12, 3))
    make_milestone(activity, title="Mentors matched", due=datetime.date(2026, 11, 20))
    schedule(partner_user, last_digest_at=at(1, 7))
    [digest] = sweep(at(2, 7, 30))
    text = digest.body
    assert "Youth Jobs Compact" in text
    waiting = text.index("Waiting for you")
    assert "Task “Recruit twenty mentors” is due on 3 December" in text
    assert "Milestone “Mentors matched” is late" in text  # the organisation leads it
    since = text.index("Since your last digest")
    assert waiting < since
    assert "3 new perspectives" in text and "1 new comment" in text
    assert text.count("new perspective") == 1  # counted, not one line per answer
    assert settings.SITE_URL + reverse("dashboards:tasks", args=[collab.slug]) in text
    html = digest.alternatives[0][0]
    assert "<h3>Waiting for you</h3>" in html and "3 new perspectives" in html


def test_the_notices_chosen_for_the_digest_are_listed_once_and_not_repeated(
    collab, facilitator, partner_user
):
    schedule(partner_user, last_digest_at=at(1, 7))
    membership = Membership.objects.get(user=facilitator)
    with committed():
        stage_move(
            access=Access(collaboration=collab, membership=membership), to_stage=Stage.DESIGN
        )
    run_queued_tasks()
    mail.outbox.clear()  # (the stage move is a digest notice by default: nothing sent at once)
    [digest] = sweep(at(2, 7, 30))
    assert "moved the collaboration to the Design stage" in digest.body
    assert Notification.objects.get(recipient=partner_user).digested_at is not None
    mail.outbox.clear()
    assert sweep(at(3, 7, 30)) == []  # nothing new: no digest at all


def test_nothing_to_say_sends_nothing(partner_user):
    schedule(partner_user, last_digest_at=at(1, 7))
    assert sweep(at(2, 8)) == []
    assert NotificationSettings.objects.get(user=partner_user).last_digest_at == at(2, 8)


def test_weekly_on_the_chosen_day_only_and_never_means_never(
    collab, partner_user, observer, something_new
):
    # 2026-12-02 is a Wednesday (2).
    schedule(partner_user, digest_frequency="weekly", digest_weekday=3, last_digest_at=at(1, 7))
    schedule(observer, digest_frequency="never")
    assert sweep(at(2, 9)) == []
    [weekly] = sweep(at(3, 9))
    assert weekly.to == [partner_user.email]
    assert "Your week on Intersector" in weekly.subject


def test_every_member_gets_a_daily_digest_by_default_in_their_time_zone(
    partner_user, something_new
):
    assert not NotificationSettings.objects.filter(user=partner_user).exists()
    sent = sweep(datetime.datetime(2026, 12, 2, 7, 1, tzinfo=datetime.UTC))
    assert [m.to for m in sent] == [[partner_user.email]]
    assert NotificationSettings.objects.get(user=partner_user).digest_frequency == "daily"


def test_a_collaboration_left_is_not_in_the_digest(partner_user, other_collab, something_new):
    other_org = make_partner(other_collab, "River Trust")
    make_member(partner_user, other_collab, Role.PARTNER, other_org)
    answer(make_partner(other_collab, "Mill Town Council"), KEYS[0])
    Membership.objects.filter(user=partner_user, collaboration__slug="youth-jobs").delete()
    schedule(partner_user, last_digest_at=at(1, 7))
    [digest] = sweep(at(2, 7, 30))
    assert "Clean Rivers" in digest.body and "Youth Jobs Compact" not in digest.body


def test_someone_removed_between_the_sweep_and_the_send_gets_nothing(partner_user, something_new):
    schedule(partner_user, last_digest_at=at(1, 7))
    with committed():
        digests_send(at(2, 7, 30))
    Membership.objects.filter(user=partner_user).delete()
    run_queued_tasks()
    assert mail.outbox == []
    assert EmailDelivery.objects.get().status == EmailDelivery.Status.DROPPED


def test_two_sweeps_at_once_send_one_digest(partner_user, something_new):
    schedule(partner_user, last_digest_at=at(1, 7))
    with committed():
        digests_send(at(2, 7, 30))
        # A second sweep that read the schedule before the first stamped it.
        NotificationSettings.objects.filter(user=partner_user).update(last_digest_at=at(1, 7))
        digests_send(at(2, 7, 31))
    run_queued_tasks()
    assert len(mail.outbox) == 1
    assert EmailDelivery.objects.count() == 1


def test_every_digest_has_preferences_and_a_one_click_unsubscribe(
    partner_user, something_new, client
):
    schedule(partner_user, last_digest_at=at(1, 7))
    [digest] = sweep(at(2, 7, 30))
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = digest.extra_headers["List-Unsubscribe"].strip("<>")
    assert "/notifications/preferences/" in digest.body
    assert client.post(unsubscribe.removeprefix(settings.SITE_URL)).status_code == 200
    assert NotificationSettings.objects.get(user=partner_user).digest_frequency == "never"


def test_user_text_is_not_html_in_the_digest(collab, partner_user, partner_org):
    make_task(make_activity(collab, lead=partner_org), partner_org, title="<b>Mentors</b>")
    Task.objects.update(due=datetime.date(2026, 12, 2))
    schedule(partner_user, last_digest_at=at(1, 7))
    [digest] = sweep(at(2, 7, 30))
    assert "<b>Mentors</b>" not in digest.alternatives[0][0]
    assert "&lt;b&gt;Mentors&lt;/b&gt;" in digest.alternatives[0][0]


def test_the_sweeps_queries_do_not_grow_with_the_people_of_a_collaboration():
    def world(n: int) -> int:
        collaboration = make_collaboration(f"Collaboration of {n}")
        for i in range(n):
            org = make_partner(collaboration, f"Organisation {i}")
            user = make_user(f"member{i}-{n}@test.example")
            make_member(user, collaboration, Role.PARTNER, org)
            answer(org, KEYS[0])
            make_task(make_activity(collaboration, lead=org), org)
        with CaptureQueriesContext(connection) as queries, committed():
            digests_send(at(2, 7, 30))
        Membership.objects.all().delete()
        NotificationSettings.objects.all().delete()
        return len(queries)

    assert world(3) == world(12)


def test_digest_day_uses_the_persons_time_zone():
    row = NotificationSettings(time_zone="America/New_York")
    assert digest_day(row, at(2, 11, 55, zone=datetime.UTC)) is None  # 06:55 in New York
    assert digest_day(row, at(2, 12, 5, zone=datetime.UTC)) == datetime.date(2026, 12, 2)
    row.time_zone = "Nowhere/Unknown"
    assert digest_day(row, at(2, 7, 5, zone=datetime.UTC)) == datetime.date(2026, 12, 2)


def test_the_digest_links_work_for_the_person(collab, partner_user, something_new):
    schedule(partner_user, last_digest_at=at(1, 7))
    [digest] = sweep(at(2, 7, 30))
    overview = reverse("worksheets:overview", args=[collab.slug])
    assert settings.SITE_URL + overview in digest.body
    assert client_for(partner_user).get(overview).status_code == 200


def test_an_input_request_waits_in_the_digest_until_the_organisation_has_answered(
    collab, facilitator, partner_user, partner_org
):
    from tests.worksheets.test_input_requests import TOOL, ask

    ask(collab, facilitator, [partner_org], due=datetime.date(2026, 12, 9))
    mail.outbox.clear()
    schedule(partner_user, last_digest_at=at(1, 7))
    [digest] = sweep(at(2, 7, 30))
    assert f"Your organisation's perspectives on “{TOOL.name}” are wanted by 9 December" in (
        digest.body
    )
    for question in TOOL.questions:
        answer(partner_org, question.key)
    mail.outbox.clear()
    assert sweep(at(3, 7, 30)) == []  # answered; and its own perspectives are no news to it
