import contextlib
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from intersector.collaborations.models import AuditEvent, Membership, Role
from intersector.invitations.models import Invitation
from intersector.invitations.services import invitation_url
from tests.tasks import committed, run_queued_tasks
from tests.world import client_for, make_partner, make_user

NEW_PASSWORD = "a-long-and-unusual-passphrase"


def invite(client, collab, email="newcomer@test.example", role=Role.PARTNER, partner=None):
    data = {"email": email, "role": role, "partner": partner.pk if partner else ""}
    return client.post(reverse("invitations:create", args=[collab.slug]), data)


@contextlib.contextmanager
def delivered():
    """What happens inside commits, then the worker sends the e-mails it queued."""
    with committed():
        yield
    run_queued_tasks()


def link_from_last_email() -> str:
    body = mail.outbox[-1].body
    return re.search(r"https?://\S+/invitations/\S+/", body).group(0)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


@pytest.fixture
def sent_invitation(facilitator_client, collab, partner_org, django_capture_on_commit_callbacks):
    with delivered():
        response = invite(facilitator_client, collab, partner=partner_org)
    assert response.status_code == 302
    return Invitation.objects.get(email="newcomer@test.example")


def test_facilitator_invites_by_email_and_the_email_has_a_text_and_html_link(sent_invitation):
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["newcomer@test.example"]
    assert "Youth Jobs Compact" in message.subject
    assert "\n" not in message.subject
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert link_from_last_email() in html


def test_pending_invitation_is_listed_on_the_members_page(
    sent_invitation, facilitator_client, collab
):
    page = facilitator_client.get(reverse("invitations:members", args=[collab.slug]))
    assert "newcomer@test.example" in page.content.decode()
    assert "Pending invitations" in page.content.decode()


def test_newcomer_sets_name_and_password_and_lands_on_the_collaboration(
    sent_invitation, client, collab, partner_org
):
    link = path_of(link_from_last_email())
    page = client.get(link)
    assert page.status_code == 200
    assert "Create account and join" in page.content.decode()
    response = client.post(
        link, {"full_name": "Nia Newcomer", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == collab.get_absolute_url()
    membership = Membership.objects.get(user__email="newcomer@test.example", collaboration=collab)
    assert (membership.role, membership.partner) == (Role.PARTNER, partner_org)
    assert membership.user.full_name == "Nia Newcomer"
    assert membership.user.check_password(NEW_PASSWORD)
    # Signed in straight away.
    assert client.get(collab.get_absolute_url()).status_code == 200


def test_the_link_works_only_once(sent_invitation, client):
    link = path_of(link_from_last_email())
    client.post(link, {"full_name": "Nia", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()
    again = client.get(link)
    assert again.status_code == 410
    assert "cannot be used" in again.content.decode()


def test_weak_password_is_refused_with_django_validators(sent_invitation, client):
    link = path_of(link_from_last_email())
    response = client.post(
        link, {"full_name": "Nia", "password1": "12345678", "password2": "12345678"}
    )
    assert response.status_code == 422
    assert "too common" in response.content.decode()
    assert not Membership.objects.filter(user__email="newcomer@test.example").exists()


def test_link_expires_after_14_days(sent_invitation, client):
    link = path_of(link_from_last_email())
    later = timezone.now() + timedelta(days=14, minutes=1)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        response = client.get(link)
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_tampered_link_is_refused(sent_invitation, client):
    link = path_of(link_from_last_email())
    assert client.get(link[:-3] + "xx/").status_code == 404


def test_resend_sends_a_new_link_and_the_old_one_stops_working(
    sent_invitation, facilitator_client, client, collab, django_capture_on_commit_callbacks
):
    old_link = path_of(link_from_last_email())
    with delivered():
        response = facilitator_client.post(
            reverse("invitations:resend", args=[collab.slug, sent_invitation.pk])
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    new_link = path_of(link_from_last_email())
    assert new_link != old_link
    assert client.get(old_link).status_code == 410
    assert client.get(new_link).status_code == 200


def test_revoked_invitation_cannot_be_accepted(sent_invitation, facilitator_client, client, collab):
    link = path_of(link_from_last_email())
    facilitator_client.post(reverse("invitations:revoke", args=[collab.slug, sent_invitation.pk]))
    assert client.get(link).status_code == 410
    page = facilitator_client.get(reverse("invitations:members", args=[collab.slug]))
    assert f'id="invitation-{sent_invitation.pk}"' not in page.content.decode()


def test_existing_account_signed_in_joins_with_one_click(
    facilitator_client, collab, django_capture_on_commit_callbacks
):
    user = make_user("known@test.example", "Kim Known")
    with delivered():
        invite(facilitator_client, collab, email="Known@Test.example", role=Role.OBSERVER)
    link = path_of(link_from_last_email())
    client = client_for(user)
    assert "Join the collaboration" in client.get(link).content.decode()
    response = client.post(link)
    assert response.status_code == 302
    assert Membership.objects.get(user=user, collaboration=collab).role == Role.OBSERVER


def test_existing_account_not_signed_in_is_asked_to_sign_in(
    facilitator_client, client, collab, django_capture_on_commit_callbacks
):
    make_user("known@test.example")
    with delivered():
        invite(facilitator_client, collab, email="known@test.example", role=Role.OBSERVER)
    link = path_of(link_from_last_email())
    page = client.get(link)
    assert "Sign in to accept" in page.content.decode()
    # Posting a new password for an existing account is not a way in.
    client.post(link, {"full_name": "X", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert not Membership.objects.filter(user__email="known@test.example").exists()


def test_signed_in_as_someone_else_is_refused(sent_invitation, partner_client):
    link = path_of(link_from_last_email())
    assert partner_client.get(link).status_code == 403
    assert partner_client.post(link).status_code == 403


def test_cannot_invite_an_existing_member_or_twice(
    facilitator_client, collab, partner_user, sent_invitation
):
    response = invite(facilitator_client, collab, email=partner_user.email, role=Role.OBSERVER)
    assert response.status_code == 422
    assert "already a member" in response.content.decode()
    response = invite(facilitator_client, collab, email="newcomer@test.example", role=Role.OBSERVER)
    assert response.status_code == 422
    assert "already been invited" in response.content.decode()


def test_partner_invitation_needs_an_organisation(facilitator_client, collab):
    response = invite(facilitator_client, collab, role=Role.PARTNER)
    assert response.status_code == 422
    assert not Invitation.objects.exists()


def test_invitation_cannot_name_another_collaborations_partner(
    facilitator_client, collab, other_collab
):
    foreign = make_partner(other_collab, "Foreign Org")
    response = invite(facilitator_client, collab, partner=foreign)
    assert response.status_code == 422
    assert not Invitation.objects.exists()


def test_only_facilitators_invite(partner_client, observer_client, collab, outsider_client):
    assert invite(partner_client, collab, role=Role.OBSERVER).status_code == 403
    assert invite(observer_client, collab, role=Role.OBSERVER).status_code == 403
    assert invite(outsider_client, collab, role=Role.OBSERVER).status_code == 404
    assert not Invitation.objects.exists()


def test_cannot_revoke_another_collaborations_invitation(
    outsider_client, other_collab, collab, sent_invitation
):
    # The outsider facilitates other_collab, and tries this collaboration's invitation id there.
    url = reverse("invitations:revoke", args=[other_collab.slug, sent_invitation.pk])
    assert outsider_client.post(url).status_code == 404
    sent_invitation.refresh_from_db()
    assert sent_invitation.is_pending


def test_invitation_url_is_absolute(sent_invitation):
    url = invitation_url(invitation=sent_invitation, site_url="https://intersector.example.org/")
    assert url.startswith("https://intersector.example.org/invitations/")


def test_accept_page_lists_what_the_person_is_invited_to(sent_invitation, client):
    page = client.get(path_of(link_from_last_email())).content.decode()
    assert "Join Youth Jobs Compact" in page
    assert "Bright Futures" in page
    assert page.count("<h1") == 1


def test_audit_log_records_invite_and_accept(sent_invitation, client, facilitator_client, collab):
    link = path_of(link_from_last_email())
    client.post(link, {"full_name": "Nia", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", "subject_email"))
    assert actions == [
        ("invited", "newcomer@test.example"),
        ("invitation_accepted", "newcomer@test.example"),
    ]
    page = facilitator_client.get(reverse("invitations:audit-log", args=[collab.slug]))
    assert "Fran Facilitator" in page.content.decode()
    assert "accepted an invitation" in page.content.decode()
