import pytest
from django.urls import reverse

from intersector.collaborations.models import Collaboration, Membership, Partner, Role
from tests.conftest import client_for, make_collaboration, make_member, make_partner, make_user


def partners_url(collab):
    return reverse("collaborations:partners", kwargs={"slug": collab.slug})


@pytest.mark.django_db
def test_creating_a_collaboration_makes_the_creator_its_facilitator():
    user = make_user("founder@test.example")
    response = client_for(user).post(
        reverse("collaborations:create"),
        {
            "title": "Safe Streets",
            "problem_statement": "Traffic deaths near schools.",
            "origin": "mandated",
            "context": "",
        },
    )
    collaboration = Collaboration.objects.get(title="Safe Streets")
    assert response.status_code == 302
    assert response["Location"] == collaboration.get_absolute_url()
    membership = Membership.objects.get(collaboration=collaboration)
    assert (membership.user, membership.role) == (user, Role.FACILITATOR)
    assert collaboration.current_stage == "diagnose"


@pytest.mark.django_db
def test_same_title_gets_a_distinct_slug():
    user = make_user("founder@test.example")
    client = client_for(user)
    data = {"title": "Safe Streets", "problem_statement": "P", "origin": "voluntary"}
    client.post(reverse("collaborations:create"), data)
    client.post(reverse("collaborations:create"), data)
    assert sorted(Collaboration.objects.values_list("slug", flat=True)) == [
        "safe-streets",
        "safe-streets-2",
    ]


@pytest.mark.django_db
def test_create_without_problem_shows_error_and_creates_nothing():
    client = client_for(make_user("founder@test.example"))
    response = client.post(reverse("collaborations:create"), {"title": "X", "origin": "voluntary"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Collaboration.objects.exists()


def test_my_collaborations_lists_only_mine_with_stage_and_role(
    partner_client, collab, other_collab
):
    body = partner_client.get(reverse("home")).content.decode()
    assert collab.title in body
    assert other_collab.title not in body
    assert "Partner · Bright Futures" in body
    assert "Diagnose" in body


def test_facilitator_adds_a_partner(facilitator_client, collab):
    response = facilitator_client.post(
        partners_url(collab),
        {
            "name": "Dept of Transport",
            "sector": "government",
            "influence": 4,
            "proximity": 2,
            "engagement": "engaged",
        },
    )
    assert response.status_code == 302
    partner = Partner.objects.get(collaboration=collab)
    assert (partner.name, partner.influence, partner.proximity) == ("Dept of Transport", 4, 2)
    body = facilitator_client.get(partners_url(collab)).content.decode()
    assert "Dept of Transport" in body


@pytest.mark.parametrize(
    "data,message",
    [
        (
            {"name": "A", "sector": "business", "influence": 6, "proximity": 3},
            "Ensure this value is less than or equal to 5.",
        ),
        (
            {"name": "A", "sector": "business", "influence": 0, "proximity": 3},
            "Ensure this value is greater than or equal to 1.",
        ),
        (
            {"name": "", "sector": "business", "influence": 3, "proximity": 3},
            "This field is required.",
        ),
        (
            {"name": "A", "sector": "aliens", "influence": 3, "proximity": 3},
            "Select a valid choice.",
        ),
    ],
)
def test_invalid_partner_shows_the_error_next_to_the_field(
    facilitator_client, collab, data, message
):
    data = {"engagement": "prospective", **data}
    response = facilitator_client.post(partners_url(collab), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Partner.objects.exists()


def test_invalid_partner_via_htmx_returns_the_region_with_errors(facilitator_client, collab):
    response = facilitator_client.post(
        partners_url(collab),
        {
            "name": "",
            "sector": "business",
            "influence": 9,
            "proximity": 3,
            "engagement": "prospective",
        },
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="partners-region">')
    assert "<html" not in body
    assert "This field is required." in body
    assert 'aria-invalid="true"' in body


def test_duplicate_partner_name_is_refused(facilitator_client, collab, partner_org):
    response = facilitator_client.post(
        partners_url(collab),
        {
            "name": "bright futures",
            "sector": "nonprofit",
            "influence": 3,
            "proximity": 3,
            "engagement": "prospective",
        },
    )
    assert "already has a partner of that name" in response.content.decode()
    assert Partner.objects.count() == 1


def test_edit_partner_inline_returns_the_row(facilitator_client, collab, partner_org):
    path = reverse(
        "collaborations:partner-edit", kwargs={"slug": collab.slug, "pk": partner_org.pk}
    )
    form = facilitator_client.get(path, headers={"HX-Request": "true"}).content.decode()
    assert form.lstrip().startswith("<tr")
    response = facilitator_client.post(
        path,
        {
            "name": "Bright Futures",
            "sector": "nonprofit",
            "influence": 5,
            "proximity": 4,
            "engagement": "committed",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Committed" in response.content.decode()
    partner_org.refresh_from_db()
    assert (partner_org.influence, partner_org.engagement) == (5, "committed")


def test_edit_partner_without_javascript_redirects_to_the_list(
    facilitator_client, collab, partner_org
):
    path = reverse(
        "collaborations:partner-edit", kwargs={"slug": collab.slug, "pk": partner_org.pk}
    )
    response = facilitator_client.post(
        path,
        {
            "name": "BF",
            "sector": "nonprofit",
            "influence": 2,
            "proximity": 2,
            "engagement": "engaged",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == partners_url(collab)
    partner_org.refresh_from_db()
    assert partner_org.name == "BF"


def test_remove_partner_asks_first_then_removes(
    facilitator_client, collab, partner_org, partner_user
):
    path = reverse(
        "collaborations:partner-delete", kwargs={"slug": collab.slug, "pk": partner_org.pk}
    )
    assert "Remove Bright Futures?" in facilitator_client.get(path).content.decode()
    assert Partner.objects.filter(pk=partner_org.pk).exists()
    facilitator_client.post(path)
    assert not Partner.objects.filter(pk=partner_org.pk).exists()
    # The person who spoke for it stays a member, without an organisation.
    assert Membership.objects.get(user=partner_user).partner is None


def test_partner_from_another_collaboration_cannot_be_chosen(
    facilitator_client, collab, other_collab
):
    foreign = make_partner(other_collab, "Foreign Org")
    make_user("newcomer@test.example")
    response = facilitator_client.post(
        reverse("invitations:create", kwargs={"slug": collab.slug}),
        {"email": "newcomer@test.example", "role": "partner", "partner": foreign.pk},
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Membership.objects.filter(partner=foreign).exists()


def test_change_role(facilitator_client, collab, observer):
    membership = Membership.objects.get(user=observer)
    facilitator_client.post(
        reverse("collaborations:member-change", kwargs={"slug": collab.slug, "pk": membership.pk}),
        {"role": "facilitator", "partner": ""},
    )
    membership.refresh_from_db()
    assert membership.role == Role.FACILITATOR


def test_last_facilitator_cannot_demote_or_remove_themselves(
    facilitator_client, collab, facilitator
):
    membership = Membership.objects.get(user=facilitator)
    change = reverse(
        "collaborations:member-change", kwargs={"slug": collab.slug, "pk": membership.pk}
    )
    response = facilitator_client.post(change, {"role": "observer", "partner": ""}, follow=True)
    assert "needs at least one facilitator" in response.content.decode()
    remove = reverse(
        "collaborations:member-remove", kwargs={"slug": collab.slug, "pk": membership.pk}
    )
    response = facilitator_client.post(remove)
    assert response.status_code == 409
    assert "needs at least one facilitator" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.FACILITATOR


def test_second_facilitator_can_be_removed(facilitator_client, collab):
    other = make_user("co@test.example")
    membership = make_member(other, collab, Role.FACILITATOR)
    facilitator_client.post(
        reverse("collaborations:member-remove", kwargs={"slug": collab.slug, "pk": membership.pk})
    )
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_overview_shows_the_four_stages_with_guiding_questions(observer_client, collab):
    body = observer_client.get(collab.get_absolute_url()).content.decode()
    for name, question in [
        ("Diagnose", "Could a cross-sector approach actually help with our problem?"),
        ("Design", "What groundwork turns our shared vision into something we can run?"),
        ("Implement", "How do we actually reach our goals together?"),
        ("Assess", "What have we learned, and what should others learn from us?"),
    ]:
        assert name in body and question in body
    assert 'aria-current="step"' in body


def test_user_text_is_escaped(facilitator_client, collab):
    make_partner(collab, "<script>alert(1)</script>")
    body = facilitator_client.get(partners_url(collab)).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.parametrize("n", [2, 20])
def test_partner_and_member_lists_use_constant_queries(
    facilitator_client, collab, django_assert_max_num_queries, n
):
    for i in range(n):
        partner = make_partner(collab, f"Org {i}")
        make_member(make_user(f"m{i}@test.example"), collab, Role.PARTNER, partner)
    # each page also counts the header's unread notifications
    with django_assert_max_num_queries(7):
        facilitator_client.get(partners_url(collab))
    with django_assert_max_num_queries(9):  # members, partners, pending invitations
        facilitator_client.get(reverse("invitations:members", kwargs={"slug": collab.slug}))
    with django_assert_max_num_queries(6):
        facilitator_client.get(reverse("home"))


@pytest.mark.django_db
def test_home_lists_many_collaborations_in_constant_queries(django_assert_max_num_queries):
    user = make_user("busy@test.example")
    for i in range(15):
        make_member(user, make_collaboration(f"Collab {i}"), Role.OBSERVER)
    client = client_for(user)
    with django_assert_max_num_queries(4):
        client.get(reverse("home"))
