"""The engine every event goes through: raised in the request, fanned out in the worker,
read on the notifications page and in the bell, e-mailed once by preference."""

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from intersector.collaborations.access import Access
from intersector.collaborations.models import Membership, Role, Stage
from intersector.notifications.models import (
    Channel,
    EmailDelivery,
    Event,
    Notification,
    Preference,
)
from intersector.notifications.services import event_fan_out
from intersector.notifications.tasks import send_emails
from intersector.worksheets.services import stage_move
from tests.tasks import committed, run_queued_tasks
from tests.world import make_member, make_user

pytestmark = pytest.mark.django_db


def move_stage(collab, facilitator, to=Stage.DESIGN):
    membership = Membership.objects.get(user=facilitator, collaboration=collab)
    with committed():
        stage_move(access=Access(collaboration=collab, membership=membership), to_stage=to)
    run_queued_tasks()


def test_everyone_but_the_actor_hears_of_a_stage_move(
    collab, facilitator, partner_user, observer, outsider
):
    move_stage(collab, facilitator)
    told = set(Notification.objects.values_list("recipient__email", flat=True))
    assert told == {partner_user.email, observer.email}  # not the actor, not the outsider


def test_the_bell_counts_unread_and_the_page_links_to_the_place(
    collab, facilitator, partner_user, partner_client
):
    move_stage(collab, facilitator)
    home = partner_client.get(reverse("home")).content.decode()
    assert 'id="bell-count">1<' in home
    page = partner_client.get(reverse("notifications:list")).content.decode()
    assert "moved the collaboration to the Design stage" in page
    assert collab.title in page  # grouped under its collaboration
    notification = Notification.objects.get(recipient=partner_user)
    response = partner_client.get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("worksheets:overview", args=[collab.slug])
    assert 'id="bell-count"' not in partner_client.get(reverse("home")).content.decode()


def test_mark_all_read(collab, facilitator, partner_user, partner_client):
    move_stage(collab, facilitator)
    move_stage(collab, facilitator, to=Stage.IMPLEMENT)
    partner_client.post(reverse("notifications:read-all"))
    assert not Notification.objects.filter(recipient=partner_user, read_at=None).exists()


def test_someone_elses_notification_is_not_found(
    collab, facilitator, partner_user, observer_client
):
    move_stage(collab, facilitator)
    theirs = Notification.objects.get(recipient=partner_user)
    assert observer_client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert observer_client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404


def test_a_removed_member_no_longer_sees_that_collaborations_notifications(
    collab, facilitator, partner_user, partner_client
):
    move_stage(collab, facilitator)
    Membership.objects.filter(user=partner_user).delete()
    page = partner_client.get(reverse("notifications:list")).content.decode()
    assert "moved the collaboration" not in page
    assert 'id="bell-count"' not in page


def test_email_at_once_by_preference_sent_once_even_if_the_fan_out_runs_again(
    collab, facilitator, partner_user, observer
):
    Preference.objects.create(user=partner_user, kind="stage_moved", channel=Channel.EMAIL)
    move_stage(collab, facilitator)
    assert [m.to for m in mail.outbox] == [[partner_user.email]]  # the observer: digest default
    message = mail.outbox[0]
    assert "Design stage" in message.subject
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert "/notifications/preferences/" in message.body
    from intersector.notifications.models import Event
    from intersector.notifications.services import event_fan_out

    with committed():
        event_fan_out(event_id=Event.objects.get().pk)
    run_queued_tasks()
    assert len(mail.outbox) == 1
    assert EmailDelivery.objects.get().status == EmailDelivery.Status.SENT


def test_no_email_to_someone_removed_before_it_was_sent(collab, facilitator, partner_user):
    Preference.objects.create(user=partner_user, kind="stage_moved", channel=Channel.EMAIL)
    membership = Membership.objects.get(user=facilitator, collaboration=collab)
    with committed():
        stage_move(
            access=Access(collaboration=collab, membership=membership), to_stage=Stage.DESIGN
        )
    event_fan_out(event_id=Event.objects.get().pk)  # (outside `committed`: nothing sent yet)
    Membership.objects.filter(user=partner_user).delete()
    run_queued_tasks()
    assert mail.outbox == []
    assert EmailDelivery.objects.get().status == EmailDelivery.Status.DROPPED


def test_a_refusing_mail_server_is_retried_and_nothing_is_lost(
    collab, facilitator, partner_user, settings, monkeypatch
):
    settings.TASKS_RETRY_BASE_SECONDS = 0
    Preference.objects.create(user=partner_user, kind="stage_moved", channel=Channel.EMAIL)
    from django.core.mail.backends.locmem import EmailBackend

    real_send = EmailBackend.send_messages
    refusals = []

    def refuse_twice(self, messages):
        if len(refusals) < 2:
            refusals.append(1)
            raise ConnectionRefusedError("mail server down")
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_twice)
    move_stage(collab, facilitator)  # the worker retries at once here (no back-off)
    delivery = EmailDelivery.objects.get()
    assert delivery.status == EmailDelivery.Status.SENT and delivery.attempts == 3
    assert len(mail.outbox) == 1
    failed = DBTaskResult.objects.filter(task_path=send_emails.module_path, status="FAILED")
    assert failed.count() == 2 and "mail server down" in failed.first().traceback


def test_a_mail_server_that_never_answers_is_given_up_and_shown(
    collab, facilitator, partner_user, settings, monkeypatch
):
    settings.TASKS_RETRY_BASE_SECONDS = 0
    settings.TASKS_MAX_ATTEMPTS = 3
    Preference.objects.create(user=partner_user, kind="stage_moved", channel=Channel.EMAIL)
    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    move_stage(collab, facilitator)
    delivery = EmailDelivery.objects.get()
    assert delivery.status == EmailDelivery.Status.FAILED and delivery.attempts == 3
    assert "mail server down" in delivery.last_error


def test_observers_are_not_told_what_is_addressed_to_organisations(collab, partner_org, observer):
    from intersector.notifications.kinds import Audience
    from intersector.notifications.models import Event
    from intersector.notifications.services import recipients_of

    someone = make_user("member@test.example", "Mo Member")
    make_member(someone, collab, Role.PARTNER, partner_org)
    event = Event(
        collaboration=collab,
        kind="stage_moved",
        payload={"audience": Audience.of(partners=[partner_org.pk]).as_payload()},
    )
    assert recipients_of(event) == {someone.pk}


def test_a_batch_stuck_on_a_slow_mail_server_stops_in_time_and_the_rest_waits_for_the_retry(
    collab, facilitator, partner_user, observer, settings, monkeypatch
):
    from django.core.mail.backends.locmem import EmailBackend

    from intersector.notifications.services import DeliveryFailed, email_deliveries_send

    settings.TASKS_STALE_AFTER_SECONDS = 0  # every message "waited" past the batch's time
    for person in (partner_user, observer):
        Preference.objects.create(user=person, kind="stage_moved", channel=Channel.EMAIL)
    membership = Membership.objects.get(user=facilitator, collaboration=collab)
    stage_move(access=Access(collaboration=collab, membership=membership), to_stage=Stage.DESIGN)
    event_fan_out(event_id=Event.objects.get().pk)

    def time_out(self, messages):
        raise TimeoutError("timed out")

    monkeypatch.setattr(EmailBackend, "send_messages", time_out)
    ids = list(EmailDelivery.objects.order_by("pk").values_list("pk", flat=True))
    with pytest.raises(DeliveryFailed, match="out of time"):
        email_deliveries_send(delivery_ids=ids)
    assert list(EmailDelivery.objects.order_by("pk").values_list("attempts", flat=True)) == [1, 0]
    monkeypatch.undo()
    assert email_deliveries_send(delivery_ids=ids) == 2  # the retry sends both, once
    assert len(mail.outbox) == 2
