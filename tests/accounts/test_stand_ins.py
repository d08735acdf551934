"""Stand-ins (the inactive accounts an import makes for authors) reach nobody and sign in
never; taking one over moves every row that refers to it."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from intersector.accounts.services import stand_in_build, user_take_over
from intersector.notifications.models import Preference
from tests.world import make_user

User = get_user_model()


@pytest.fixture
def stand_in(db):
    stand_in = stand_in_build(imported_as="someone@test.example", full_name="Some One")
    stand_in.save()
    return stand_in


def test_a_stand_in_is_inactive_without_a_password_at_an_address_nobody_reads(stand_in):
    assert not stand_in.is_active and not stand_in.has_usable_password()
    assert stand_in.email.endswith("@stand-in.invalid")
    assert stand_in.display_name == "Some One (imported)"


def test_a_stand_in_cannot_sign_in_even_once_it_has_a_password(client, stand_in):
    stand_in.set_password("a-long-and-unusual-passphrase")
    stand_in.save()
    for address in (stand_in.email, stand_in.imported_as):
        response = client.post(
            reverse("login"), {"username": address, "password": "a-long-and-unusual-passphrase"}
        )
        assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_password_reset_sends_nothing_for_a_stand_in(client, stand_in):
    for address in (stand_in.email, stand_in.imported_as):
        client.post(reverse("password_reset"), {"email": address})
    assert mail.outbox == []


def test_taking_over_moves_foreign_keys_and_many_to_many_rows(stand_in):
    person = make_user("someone@test.example", "Some One")
    group = Group.objects.create(name="Editors")
    stand_in.groups.add(group)
    Preference.objects.create(user=stand_in, kind="comment", channel="email")
    user_take_over(stand_in=stand_in, user=person)
    assert list(person.groups.all()) == [group]
    assert Preference.objects.get().user == person
    assert not User.objects.filter(pk=stand_in.pk).exists()


def test_a_row_the_person_already_has_is_left_to_the_stand_ins_deletion(stand_in):
    person = make_user("someone@test.example", "Some One")
    Preference.objects.create(user=person, kind="comment", channel="digest")
    Preference.objects.create(user=stand_in, kind="comment", channel="email")
    user_take_over(stand_in=stand_in, user=person)
    assert list(Preference.objects.values_list("user", "channel")) == [(person.pk, "digest")]
