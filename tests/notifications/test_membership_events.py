"""Being invited or added, a changed role, being removed: the person it is about hears of
it, nobody else; a removed person still does, without a link into the collaboration."""

import pytest
from django.core import mail
from django.urls import reverse

from intersector.collaborations.models import Membership, Role
from intersector.notifications.models import Notification
from tests.tasks import committed, run_queued_tasks
from tests.world import client_for

pytestmark = pytest.mark.django_db


def as_facilitator(facilitator, url, data=None):
    with committed():
        response = client_for(facilitator).post(url, data or {})
    run_queued_tasks()
    return response


def notices(kind):
    return list(Notification.objects.filter(event__kind=kind).select_related("event", "recipient"))


def invite(facilitator, collab, email):
    return as_facilitator(
        facilitator,
        reverse("invitations:create", args=[collab.slug]),
        {"email": email, "role": Role.OBSERVER, "partner": ""},
    )


def test_an_invited_address_with_an_account_is_told_in_the_app_only(
    collab, facilitator, outsider, partner_user
):
    invite(facilitator, collab, outsider.email.upper())
    [notice] = notices("invited")
    assert notice.recipient == outsider
    assert "invited you to join “Youth Jobs Compact”" in notice.event.summary
    assert notice.event.url.startswith("/invitations/")  # the accept page
    assert [message.to for message in mail.outbox] == [[outsider.email]]  # the invitation only
    page = client_for(outsider).get(reverse("notifications:list")).content.decode()
    assert "invited you to join" in page  # though not a member (yet)


def test_inviting_an_address_without_an_account_looks_the_same_to_the_facilitator(
    collab, facilitator, outsider
):
    known = invite(facilitator, collab, outsider.email)
    unknown = invite(facilitator, collab, "nobody@test.example")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [n.recipient for n in notices("invited")] == [outsider]


def test_a_changed_role_tells_that_member_only(
    collab, facilitator, partner_user, observer, partner_org
):
    membership = Membership.objects.get(user=observer)
    as_facilitator(
        facilitator,
        reverse("collaborations:member-change", args=[collab.slug, membership.pk]),
        {"role": Role.PARTNER, "partner": partner_org.pk},
    )
    [notice] = notices("role_changed")
    assert notice.recipient == observer
    assert "Observer → Partner · Bright Futures" in notice.event.summary


def test_saving_the_same_role_tells_nobody(collab, facilitator, observer):
    membership = Membership.objects.get(user=observer)
    as_facilitator(
        facilitator,
        reverse("collaborations:member-change", args=[collab.slug, membership.pk]),
        {"role": Role.OBSERVER, "partner": ""},
    )
    assert notices("role_changed") == []


def test_a_removed_member_is_told_without_a_link_into_the_collaboration(
    collab, facilitator, partner_user, observer
):
    membership = Membership.objects.get(user=partner_user)  # e-mailed at once by default
    as_facilitator(
        facilitator, reverse("collaborations:member-remove", args=[collab.slug, membership.pk])
    )
    [notice] = notices("removed")
    assert notice.recipient == partner_user
    assert f"/c/{collab.slug}/" not in notice.event.url
    client = client_for(partner_user)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "removed you from “Youth Jobs Compact”" in page
    assert f"/c/{collab.slug}/" not in page
    assert client.get(reverse("notifications:open", args=[notice.pk]))["Location"] == "/"
    [message] = mail.outbox  # at once by default: no digest covers a former collaboration
    assert message.to == [partner_user.email]
    assert "about your membership" in message.body
    assert f"/c/{collab.slug}/" not in message.body


def test_after_removal_earlier_notices_of_that_collaboration_are_hidden(
    collab, facilitator, partner_user, partner_org
):
    membership = Membership.objects.get(user=partner_user)
    change = reverse("collaborations:member-change", args=[collab.slug, membership.pk])
    as_facilitator(facilitator, change, {"role": Role.OBSERVER, "partner": ""})
    as_facilitator(
        facilitator, reverse("collaborations:member-remove", args=[collab.slug, membership.pk])
    )
    page = client_for(partner_user).get(reverse("notifications:list")).content.decode()
    assert "changed your role" not in page
    assert "removed you from" in page


def test_a_removal_cannot_be_left_to_a_digest_that_no_longer_covers_that_collaboration(
    partner_user,
):
    page = client_for(partner_user).get(reverse("notifications:preferences")).content.decode()
    removed = page[page.index("I am removed from a collaboration") :]
    removed = removed[: removed.index("</fieldset>")]
    assert 'value="email"' in removed and 'value="digest"' not in removed
