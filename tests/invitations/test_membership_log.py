"""The last facilitator stays, and every membership change is in the log."""

import pytest
from django.urls import reverse

from intersector.collaborations.models import AuditEvent, Membership, Role
from intersector.invitations.models import Invitation
from intersector.invitations.services import invitation_accept
from tests.world import make_user


def change(client, collab, membership, role, partner=None):
    return client.post(
        reverse("collaborations:member-change", args=[collab.slug, membership.pk]),
        {"role": role, "partner": partner.pk if partner else ""},
        follow=True,
    )


def test_the_last_facilitator_cannot_demote_themselves_and_sees_why(
    facilitator_client, facilitator, collab
):
    membership = Membership.objects.get(user=facilitator, collaboration=collab)
    page = change(facilitator_client, collab, membership, Role.OBSERVER)
    assert "needs at least one facilitator" in page.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.FACILITATOR
    assert not AuditEvent.objects.exists()


def test_the_last_facilitator_cannot_be_removed_and_sees_why(
    facilitator_client, facilitator, collab
):
    membership = Membership.objects.get(user=facilitator, collaboration=collab)
    url = reverse("collaborations:member-remove", args=[collab.slug, membership.pk])
    response = facilitator_client.post(url)
    assert response.status_code == 409
    assert "needs at least one facilitator" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_with_a_second_facilitator_the_first_may_step_down(facilitator_client, facilitator, collab):
    second = make_user("second@test.example")
    Membership.objects.create(user=second, collaboration=collab, role=Role.FACILITATOR)
    membership = Membership.objects.get(user=facilitator, collaboration=collab)
    page = change(facilitator_client, collab, membership, Role.OBSERVER)
    assert page.status_code == 200
    membership.refresh_from_db()
    assert membership.role == Role.OBSERVER


def test_add_change_remove_are_logged_with_who_what_and_on_whom(
    facilitator_client, collab, partner_org
):
    person = make_user("person@test.example")
    facilitator_client.post(
        reverse("invitations:create", args=[collab.slug]),
        {"email": person.email, "role": Role.OBSERVER, "partner": ""},
    )
    invitation_accept(invitation=Invitation.objects.get(email=person.email), user=person)
    membership = Membership.objects.get(user=person)
    change(facilitator_client, collab, membership, Role.PARTNER, partner_org)
    facilitator_client.post(
        reverse("collaborations:member-remove", args=[collab.slug, membership.pk])
    )
    events = list(AuditEvent.objects.order_by("pk"))
    assert [e.action for e in events] == [
        "invited",
        "invitation_accepted",
        "role_changed",
        "member_removed",
    ]
    assert {e.actor_name for e in events} == {"Fran Facilitator", person.display_name}
    assert {e.subject_email for e in events} == {"person@test.example"}
    assert events[2].detail == "Observer → Partner · Bright Futures"


def test_saving_an_unchanged_role_writes_nothing_to_the_log(
    facilitator_client, collab, partner_user, partner_org
):
    membership = Membership.objects.get(user=partner_user)
    change(facilitator_client, collab, membership, Role.PARTNER, partner_org)
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("who", ["partner_client", "observer_client"])
def test_only_facilitators_see_the_log(request, who, collab):
    client = request.getfixturevalue(who)
    assert client.get(reverse("invitations:audit-log", args=[collab.slug])).status_code == 403


def test_log_shows_only_this_collaborations_events(facilitator_client, collab, other_collab):
    AuditEvent.objects.create(
        collaboration=other_collab,
        action="invited",
        actor_name="Someone Else",
        subject_email="secret@other.example",
    )
    page = facilitator_client.get(reverse("invitations:audit-log", args=[collab.slug]))
    assert "secret@other.example" not in page.content.decode()


@pytest.mark.parametrize("n", [2, 20])
def test_log_and_members_pages_query_count_is_constant(
    facilitator_client, facilitator, collab, n, django_assert_max_num_queries
):
    from django.utils import timezone

    from intersector.invitations.models import Invitation

    for i in range(n):
        AuditEvent.objects.create(
            collaboration=collab,
            action="invited",
            actor=facilitator,
            actor_name="Fran",
            subject_email=f"p{i}@test.example",
        )
        Invitation.objects.create(
            collaboration=collab,
            email=f"p{i}@test.example",
            role=Role.OBSERVER,
            invited_by=facilitator,
            sent_at=timezone.now(),
        )
    with django_assert_max_num_queries(6):
        facilitator_client.get(reverse("invitations:audit-log", args=[collab.slug]))
    with django_assert_max_num_queries(10):
        facilitator_client.get(reverse("invitations:members", args=[collab.slug]))
