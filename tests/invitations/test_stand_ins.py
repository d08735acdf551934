"""An invitee a person's import names as an author: a stand-in holds their records until
they accept, then their account takes the records over."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from intersector.collaborations.models import Collaboration
from intersector.invitations.models import Invitation
from intersector.invitations.tokens import make_token
from intersector.reports import services
from intersector.reports.exports import export_collaboration
from intersector.worksheets.models import Comment, Perspective, PerspectiveRevision
from tests.conftest import client_for
from tests.tasks import committed, run_queued_tasks
from tests.worksheets.test_live import QUESTION, write

User = get_user_model()
TOOL = "diagnose/tools/engage-potential-partners/"
PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture
def imported(collab, facilitator, partner_user, observer):
    """The collaboration a facilitator imports from a file that names Pat (who has an
    account) under another name, and Nia (who has none), as authors."""
    write(partner_user, collab, "Young people leaving care")
    Comment.objects.create(
        collaboration=collab, question_key=QUESTION, text="Who else?", author=observer
    )
    document = export_collaboration(collab)
    memberships = document["sections"]["memberships"]
    for row in memberships:
        if row["email"] == partner_user.email:
            row["full_name"] = "Pat as the file says"
    memberships.append(
        {"email": "nia@test.example", "full_name": "Nia New", "role": "observer", "partner": None}
    )
    document["sections"]["worksheets"]["comments"][0]["author"] = "nia@test.example"
    with committed():
        services.data_import_request(
            collaboration=collab, raw=json.dumps(document).encode(), user=facilitator
        )
    run_queued_tasks()
    return Collaboration.objects.exclude(pk=collab.pk).get()


def accept_link(collaboration, email: str) -> str:
    invitation = Invitation.objects.get(collaboration=collaboration, email=email)
    return reverse("invitations:accept", kwargs={"token": make_token(invitation.key)})


def test_before_accepting_the_page_shows_the_files_name_for_the_invitee(
    imported, facilitator_client, partner_user
):
    page = facilitator_client.get(f"/c/{imported.slug}/{TOOL}").content.decode()
    assert "Pat as the file says (imported)" in page and "Nia New (imported)" in page
    assert "Pat Partner" not in page
    stand_in = Perspective.objects.get(collaboration=imported).author
    assert stand_in != partner_user
    assert Invitation.objects.get(email=partner_user.email, collaboration=imported).stand_in == (
        stand_in
    )


def test_an_invitee_with_an_account_takes_over_their_records_on_accepting(
    imported, facilitator_client, partner_user
):
    stand_in = Perspective.objects.get(collaboration=imported).author
    response = client_for(partner_user).post(accept_link(imported, partner_user.email))
    assert response.status_code == 302
    assert Perspective.objects.get(collaboration=imported).author == partner_user
    assert set(
        PerspectiveRevision.objects.filter(collaboration=imported).values_list("author", flat=True)
    ) == {partner_user.pk}
    assert not User.objects.filter(pk=stand_in.pk).exists()
    page = facilitator_client.get(f"/c/{imported.slug}/{TOOL}").content.decode()
    assert "Pat Partner" in page and "Pat as the file says" not in page


def test_an_invitee_who_signs_up_takes_over_their_records(imported, client):
    stand_in = Comment.objects.get(collaboration=imported).author
    assert stand_in.full_name == "Nia New" and not stand_in.is_active
    response = client.post(
        accept_link(imported, "nia@test.example"),
        {"full_name": "Nia N.", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    nia = User.objects.get(email="nia@test.example")
    assert nia.is_active and nia.imported_as == ""
    assert Comment.objects.get(collaboration=imported).author == nia
    assert not User.objects.filter(pk=stand_in.pk).exists()
    invitation = Invitation.objects.get(collaboration=imported, email="nia@test.example")
    assert invitation.accepted_by == nia and invitation.stand_in is None
