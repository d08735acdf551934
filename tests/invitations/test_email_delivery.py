"""Invitation e-mails go out from the worker: a mail server that is down never loses an
invitation nor gives the facilitator an error page, and failures show with "Send again"."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from intersector.collaborations.models import Role
from intersector.invitations.models import Invitation
from intersector.notifications.models import EmailDelivery
from tests.invitations.test_invitations import invite, link_from_last_email, path_of
from tests.tasks import committed, run_queued_tasks

FAILING = "tests.invitations.test_email_delivery.MailServerDown"


class MailServerDown(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPConnectError(421, "mail.example.org: service not available")


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = FAILING
    return settings


def members_page(client, collab) -> str:
    return client.get(reverse("invitations:members", args=[collab.slug])).content.decode()


def test_with_the_mail_server_down_the_invitation_is_saved_and_its_email_is_on_its_way(
    facilitator_client, collab, mail_server_down
):
    with committed():
        response = invite(facilitator_client, collab, email="new@test.example", role=Role.OBSERVER)
    assert response.status_code == 302
    page = facilitator_client.get(response.url).content.decode()
    assert "The invitation to new@test.example is saved; its e-mail is on its way." in page
    assert "On its way" in page
    invitation = Invitation.objects.get(email="new@test.example")
    assert invitation.is_pending and invitation.delivery.status == EmailDelivery.Status.PENDING


def test_a_failed_delivery_is_retried_and_shown_with_send_again(
    facilitator_client, collab, mail_server_down
):
    with committed():
        invite(facilitator_client, collab, email="new@test.example", role=Role.OBSERVER)
    run_queued_tasks()  # the first attempt fails; the next is due after a back-off
    delivery = Invitation.objects.get().delivery
    assert (delivery.status, delivery.attempts) == (EmailDelivery.Status.PENDING, 1)
    assert "service not available" in delivery.last_error
    page = members_page(facilitator_client, collab)
    assert "Not delivered yet" in page and "Send again" in page
    assert mail.outbox == []


def test_when_every_attempt_failed_the_list_says_so_and_send_again_delivers_a_new_link(
    facilitator_client, collab, mail_server_down
):
    mail_server_down.TASKS_MAX_ATTEMPTS = 1
    with committed():
        invite(facilitator_client, collab, email="new@test.example", role=Role.OBSERVER)
    run_queued_tasks()
    invitation = Invitation.objects.get()
    first = invitation.delivery
    assert first.status == EmailDelivery.Status.FAILED
    page = members_page(facilitator_client, collab)
    assert "Could not be delivered" in page and "Send again" in page

    mail_server_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with committed():
        response = facilitator_client.post(
            reverse("invitations:resend", args=[collab.slug, invitation.pk])
        )
    assert response.status_code == 302
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [["new@test.example"]]
    invitation.refresh_from_db()
    assert invitation.delivery != first
    assert invitation.delivery.status == EmailDelivery.Status.SENT
    assert "Sent" in members_page(facilitator_client, collab)
    # The link in that e-mail works.
    from django.test import Client

    assert Client().get(path_of(link_from_last_email())).status_code == 200


def test_a_retry_of_a_replaced_link_is_not_sent(facilitator_client, collab, mail_server_down):
    with committed():
        invite(facilitator_client, collab, email="new@test.example", role=Role.OBSERVER)
    run_queued_tasks()
    invitation = Invitation.objects.get()
    stale = invitation.delivery
    mail_server_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with committed():
        facilitator_client.post(reverse("invitations:resend", args=[collab.slug, invitation.pk]))
    run_queued_tasks()
    # The old delivery's retry comes round later: its link no longer works, so it is dropped.
    from intersector.notifications.services import email_delivery_send

    assert email_delivery_send(delivery_id=stale.pk) == "dropped"
    assert len(mail.outbox) == 1


def test_a_delivery_is_sent_once_even_if_its_task_runs_twice(facilitator_client, collab):
    with committed():
        invite(facilitator_client, collab, email="new@test.example", role=Role.OBSERVER)
    run_queued_tasks()
    from intersector.notifications.services import email_delivery_send

    assert email_delivery_send(delivery_id=Invitation.objects.get().delivery_id) == "skipped"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"].startswith("<invitation.")


def test_a_send_interrupted_by_a_dead_worker_goes_out_once_when_retried(
    facilitator_client, collab, settings
):
    from datetime import timedelta

    from django.utils import timezone

    from intersector.notifications.services import email_delivery_send

    with committed():
        invite(facilitator_client, collab, email="new@test.example", role=Role.OBSERVER)
    delivery = Invitation.objects.get().delivery
    # A worker claimed it a moment ago and is sending it: nobody else sends it meanwhile.
    EmailDelivery.objects.filter(pk=delivery.pk).update(
        status=EmailDelivery.Status.SENDING, claimed_at=timezone.now(), attempts=1
    )
    assert email_delivery_send(delivery_id=delivery.pk) == "skipped"
    # That worker died mid-send (no "sent" was recorded): once the claim is stale, it goes.
    stale = timezone.now() - timedelta(seconds=settings.TASKS_STALE_AFTER_SECONDS + 1)
    EmailDelivery.objects.filter(pk=delivery.pk).update(claimed_at=stale)
    assert email_delivery_send(delivery_id=delivery.pk) == "sent"
    assert email_delivery_send(delivery_id=delivery.pk) == "skipped"
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (EmailDelivery.Status.SENT, 2)
