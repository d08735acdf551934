"""The access layer: non-members get 404 everywhere, observers 403 on every write, partners
cannot manage members or partners."""

import pytest
from django.urls import reverse

from intersector.collaborations.models import Membership, Partner, Role

READ_PAGES = [
    ("worksheets:overview", {}),
    ("collaborations:partners", {}),
    ("invitations:members", {}),
    ("diagnose:index", {}),
    ("design:index", {}),
    ("implement:index", {}),
    ("assess:index", {}),
    ("diagnose:tool", {"tool_slug": "engage-potential-partners"}),
]


def url(name, collab, **kwargs):
    return reverse(name, kwargs={"slug": collab.slug, **kwargs})


@pytest.mark.parametrize("name,kwargs", READ_PAGES)
def test_outsider_gets_404_on_every_collaboration_page(outsider_client, collab, name, kwargs):
    assert outsider_client.get(url(name, collab, **kwargs)).status_code == 404


@pytest.mark.parametrize("name,kwargs", READ_PAGES)
def test_every_member_role_can_read_every_page(
    facilitator_client, partner_client, observer_client, collab, name, kwargs
):
    for client in (facilitator_client, partner_client, observer_client):
        assert client.get(url(name, collab, **kwargs)).status_code == 200


def test_anonymous_is_sent_to_sign_in(client, collab):
    response = client.get(url("worksheets:overview", collab))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unknown_collaboration_is_404_for_everyone(facilitator_client):
    assert facilitator_client.get("/c/no-such-thing/").status_code == 404


def _write_requests(collab, partner, membership):
    return [
        (url("collaborations:partners", collab), {"name": "X", "sector": "business"}),
        (url("collaborations:partner-edit", collab, pk=partner.pk), {"name": "Renamed"}),
        (url("collaborations:partner-delete", collab, pk=partner.pk), {}),
        (url("invitations:create", collab), {"email": "a@b.example", "role": "observer"}),
        (url("collaborations:member-change", collab, pk=membership.pk), {"role": "observer"}),
        (url("collaborations:member-remove", collab, pk=membership.pk), {}),
    ]


def test_observer_gets_403_on_every_write(observer_client, collab, partner_org, facilitator):
    membership = Membership.objects.get(user=facilitator)
    for path, data in _write_requests(collab, partner_org, membership):
        assert observer_client.post(path, data).status_code == 403, path
    assert Partner.objects.filter(pk=partner_org.pk, name="Bright Futures").exists()
    assert Membership.objects.get(user=facilitator).role == Role.FACILITATOR


def test_partner_cannot_manage_members_or_partners(
    partner_client, collab, partner_org, facilitator
):
    membership = Membership.objects.get(user=facilitator)
    for path, data in _write_requests(collab, partner_org, membership):
        assert partner_client.post(path, data).status_code == 403, path
    assert (
        partner_client.get(
            url("collaborations:partner-edit", collab, pk=partner_org.pk)
        ).status_code
        == 403
    )
    assert Partner.objects.count() == 1
    assert Membership.objects.get(user=facilitator).role == Role.FACILITATOR


def test_objects_of_another_collaboration_are_404(facilitator_client, collab, other_collab):
    from tests.conftest import make_partner

    foreign = make_partner(other_collab, "Foreign Org")
    path = url("collaborations:partner-edit", collab, pk=foreign.pk)
    assert facilitator_client.get(path).status_code == 404
    assert facilitator_client.post(path, {"name": "Hijacked"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "Foreign Org"


def test_member_pages_hide_management_controls_from_non_facilitators(partner_client, collab):
    body = partner_client.get(url("collaborations:partners", collab)).content.decode()
    assert "Add a partner" not in body
    body = partner_client.get(url("invitations:members", collab)).content.decode()
    assert "Add a member" not in body


def _as_loaded_by_the_orm(instance):
    return {
        field.attname: getattr(type(instance).objects.get(pk=instance.pk), field.attname)
        for field in instance._meta.concrete_fields
    }


def _as_loaded(instance):
    return {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }


@pytest.mark.parametrize("persona", ["facilitator", "partner_user"])
def test_access_reads_the_membership_collaboration_and_organisation_as_the_orm_would(
    request, persona, collab, rf, django_assert_num_queries
):
    from intersector.collaborations.access import get_collaboration_for_user

    user = request.getfixturevalue(persona)
    http = rf.get("/")
    http.user = user
    with django_assert_num_queries(1):
        access = get_collaboration_for_user(http, collab.slug)
    assert _as_loaded(access.membership) == _as_loaded_by_the_orm(access.membership)
    assert _as_loaded(access.collaboration) == _as_loaded_by_the_orm(collab)
    assert access.collaboration.created_at.tzinfo is not None
    if persona == "partner_user":
        assert _as_loaded(access.partner) == _as_loaded_by_the_orm(access.partner)
        assert access.partner.name == "Bright Futures"
    else:
        assert access.partner is None
