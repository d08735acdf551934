"""Invitations under pressure: two tabs at once, and what a facilitator may learn."""

import json
import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.urls import reverse

from intersector.collaborations.models import Collaboration, Membership, Role
from intersector.invitations import services
from intersector.invitations.models import Invitation
from intersector.reports.exports import export_collaboration, import_collaboration
from tests.invitations.test_invitations import (
    NEW_PASSWORD,
    delivered,
    invite,
    link_from_last_email,
    path_of,
)
from tests.world import client_for, make_user

ACCOUNT = {"full_name": "Nia Newcomer", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}


@pytest.fixture
def link(facilitator_client, collab, partner_org, django_capture_on_commit_callbacks):
    with delivered():
        invite(facilitator_client, collab, partner=partner_org)
    return path_of(link_from_last_email())


def _stale_lookup(monkeypatch, token_path):
    """Both tabs read the invitation while it was pending (and before any account was made
    from it): freeze what the link looked up then, so the second submit reaches the
    service as it does in the race."""
    token = token_path.rstrip("/").rsplit("/", 1)[1]
    before = services.invitation_lookup(token)
    account = services.invitation_account(before.invitation)
    assert before.problem is None
    monkeypatch.setattr(services, "invitation_lookup", lambda _token: before)
    monkeypatch.setattr(services, "invitation_account", lambda _invitation: account)


def test_two_tabs_creating_the_account_at_once_one_wins_the_other_is_told_to_sign_in(
    link, client, monkeypatch
):
    _stale_lookup(monkeypatch, link)
    first = client.post(link, ACCOUNT)
    assert first.status_code == 302
    client.logout()
    second = client.post(link, {**ACCOUNT, "full_name": "Someone Else"})
    assert second.status_code == 409
    page = second.content.decode()
    assert "already been used" in page and "Sign in" in page
    assert Membership.objects.filter(user__email="newcomer@test.example").count() == 1
    assert Invitation.objects.get().accepted_by.full_name == "Nia Newcomer"


def test_two_tabs_joining_at_once_one_joins_the_other_is_told_it_was_used(
    facilitator_client, collab, monkeypatch, django_capture_on_commit_callbacks
):
    user = make_user("known@test.example", "Kim Known")
    with delivered():
        invite(facilitator_client, collab, email="known@test.example", role=Role.OBSERVER)
    link = path_of(link_from_last_email())
    _stale_lookup(monkeypatch, link)
    tab = client_for(user)
    assert tab.post(link).status_code == 302
    second = tab.post(link)
    assert second.status_code == 409
    assert "already been used" in second.content.decode()
    assert Membership.objects.filter(user=user, collaboration=collab).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_creating_the_account_at_the_same_moment_on_postgresql(
    facilitator, collab, partner_org
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL's row locks")
    invitation = Invitation.objects.create(
        collaboration=collab,
        email="racer@test.example",
        role=Role.PARTNER,
        partner=partner_org,
        invited_by=facilitator,
        sent_at=collab.created_at,
    )
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(name):
        try:
            start.wait()
            services.account_create_from_invitation(
                invitation=invitation, full_name=name, password=NEW_PASSWORD
            )
            outcomes.append("joined")
        except services.InvitationUsed:
            outcomes.append("used")
        except Exception as exc:  # noqa: BLE001 — the test reports what went wrong
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(name,)) for name in ("Ann", "Bea")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["joined", "used"]
    assert Membership.objects.filter(user__email="racer@test.example").count() == 1


# ---- no account enumeration ----------------------------------------------------------


def test_the_members_page_cannot_add_an_account_without_an_invitation(
    facilitator_client, collab, partner_org
):
    someone = make_user("someone@test.example", "Sam Someone")
    response = facilitator_client.post(
        reverse("invitations:members", args=[collab.slug]),
        {"email": someone.email, "role": "partner", "partner": partner_org.pk},
    )
    assert response.status_code == 405
    assert not Membership.objects.filter(user=someone).exists()
    page = facilitator_client.get(reverse("invitations:members", args=[collab.slug]))
    assert "already has an account" not in page.content.decode()


def test_inviting_an_address_answers_the_same_whether_or_not_it_has_an_account(
    facilitator_client, collab, django_capture_on_commit_callbacks
):
    someone = make_user("someone@test.example", "Sam Secretname")
    answers = []
    for email in ("someone@test.example", "nobody@test.example"):
        with delivered():
            response = invite(facilitator_client, collab, email=email, role=Role.OBSERVER)
        assert response.status_code == 302
        page = facilitator_client.get(response.url).content.decode()
        answers.append(page.replace(email, "ADDRESS"))
        assert "Sam Secretname" not in page
    import re

    def without_ids(html):
        return re.sub(r"(invitation-|invitations/)\d+", "N", html)

    # The only difference: the second page lists one more pending invitation.
    assert "Sam Secretname" not in answers[0] + answers[1]
    assert without_ids(answers[0]).count("ADDRESS") == without_ids(answers[1]).count("ADDRESS")
    assert not Membership.objects.filter(user=someone).exists()
    # Both got the same invitation e-mail.
    assert [m.to for m in mail.outbox] == [["someone@test.example"], ["nobody@test.example"]]
    assert mail.outbox[0].subject == mail.outbox[1].subject


# ---- JSON import: invitations, and passwords for the accounts it makes ------------------


def test_imported_memberships_become_invitations_even_for_existing_accounts(
    facilitator_client,
    facilitator,
    collab,
    partner_user,
    observer,
    django_capture_on_commit_callbacks,
):
    raw = json.dumps(export_collaboration(collab)).encode()
    with delivered():
        new, context = import_collaboration(raw, facilitator=facilitator)
    members = set(new.memberships.values_list("user__email", flat=True))
    assert members == {facilitator.email}  # nobody else is added without accepting
    invited = set(new.invitations.pending().values_list("email", flat=True))
    assert invited == {partner_user.email, observer.email}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(invited)
    # The partner accepts and joins with the role the file gave them.
    link = path_of(link_from_last_email())
    invitee = partner_user if mail.outbox[-1].to == [partner_user.email] else observer
    assert client_for(invitee).post(link).status_code == 302
    assert new.memberships.filter(user=invitee).exists()


def test_an_account_made_by_an_import_can_reset_its_password(client, facilitator, collab):
    document = export_collaboration(collab)
    document["sections"]["memberships"].append(
        {"email": "imported@test.example", "full_name": "Imp", "role": "observer", "partner": None}
    )
    import_collaboration(json.dumps(document))  # the operator's command restores members
    response = client.post(reverse("password_reset"), {"email": "imported@test.example"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["imported@test.example"]]
    reset = [w for w in mail.outbox[0].body.split() if "/password/reset/" in w][0]
    form_page = client.get(path_of(reset), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user = Membership.objects.get(user__email="imported@test.example").user
    assert user.check_password(NEW_PASSWORD)


def test_an_account_without_a_password_sets_one_through_its_invitation(
    facilitator_client, collab, client, django_capture_on_commit_callbacks
):
    imported = make_user("imported@test.example", "")
    imported.set_unusable_password()
    imported.save()
    with delivered():
        invite(facilitator_client, collab, email="imported@test.example", role=Role.OBSERVER)
    link = path_of(link_from_last_email())
    assert "Create account and join" in client.get(link).content.decode()
    assert client.post(link, ACCOUNT).status_code == 302
    imported.refresh_from_db()
    assert imported.check_password(NEW_PASSWORD) and imported.full_name == "Nia Newcomer"
    assert Membership.objects.filter(user=imported, collaboration=collab).exists()
    assert Collaboration.objects.count() >= 1
