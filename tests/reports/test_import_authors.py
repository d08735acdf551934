"""A person's import names authors by e-mail: they become stand-ins, never the accounts
that happen to have those addresses here."""

import json

import pytest
from django.contrib.auth import get_user_model

from intersector.collaborations.models import Collaboration
from intersector.reports import services
from intersector.reports.exports import export_collaboration, export_text
from intersector.worksheets.models import Comment, Perspective
from tests.conftest import make_user
from tests.tasks import committed, run_queued_tasks
from tests.worksheets.test_live import QUESTION, write

User = get_user_model()
TOOL = "diagnose/tools/engage-potential-partners/"


@pytest.fixture
def document(collab, facilitator, partner_user, observer):
    write(partner_user, collab, "Young people leaving care")
    Comment.objects.create(
        collaboration=collab, question_key=QUESTION, text="Who else?", author=observer
    )
    return export_collaboration(collab)


def name_as_author(document, *, perspective: str | None = None, comment: str | None = None):
    worksheets = document["sections"]["worksheets"]
    if perspective:
        worksheets["perspectives"][0]["author"] = perspective
    if comment:
        worksheets["comments"][0]["author"] = comment
    return json.dumps(document).encode()


def imported_by(user, collab, raw) -> Collaboration:
    with committed():
        services.data_import_request(collaboration=collab, raw=raw, user=user)
    run_queued_tasks()
    return Collaboration.objects.exclude(pk=collab.pk).get()


def test_an_author_the_file_names_is_never_an_existing_account_of_a_non_member(
    collab, facilitator, facilitator_client, document
):
    secret = make_user("secret@example.org", "Secret Person")
    accounts = set(User.objects.values_list("pk", flat=True))
    raw = name_as_author(
        document, perspective="secret@example.org", comment="nobody@unknown.example"
    )
    new = imported_by(facilitator, collab, raw)

    page = facilitator_client.get(f"/c/{new.slug}/{TOOL}").content.decode()
    assert page.count("Young people leaving care") >= 1
    assert "Secret Person" not in page
    author = Perspective.objects.get(collaboration=new).author
    assert author != secret and not author.is_active and not author.has_usable_password()
    assert author.imported_as == "secret@example.org"
    assert author.full_name == "secret@example.org"  # the file gives no name for them
    assert not User.objects.filter(email__iexact="nobody@unknown.example").exists()
    made = User.objects.exclude(pk__in=accounts)
    assert made.filter(is_active=True).count() == 0
    assert set(made.values_list("imported_as", flat=True)) >= {
        "secret@example.org",
        "nobody@unknown.example",
    }
    assert all(user.email.endswith("@stand-in.invalid") for user in made)


def test_the_importer_stays_the_author_of_what_the_file_says_they_wrote(
    collab, facilitator, document
):
    raw = name_as_author(document, perspective="Facilitator@Test.Example")
    new = imported_by(facilitator, collab, raw)
    assert Perspective.objects.get(collaboration=new).author == facilitator


def test_one_stand_in_per_address_per_import(collab, facilitator, document):
    raw = name_as_author(
        document, perspective="twice@unknown.example", comment="Twice@Unknown.Example"
    )
    new = imported_by(facilitator, collab, raw)
    perspective_author = Perspective.objects.get(collaboration=new).author
    comment_author = Comment.objects.get(collaboration=new).author
    assert perspective_author == comment_author
    assert User.objects.filter(imported_as__iexact="twice@unknown.example").count() == 1


def test_the_export_of_an_import_gives_the_addresses_the_file_gave(collab, facilitator, document):
    raw = name_as_author(document, perspective="secret@example.org")
    new = imported_by(facilitator, collab, raw)
    exported = export_collaboration(new)
    worksheets = exported["sections"]["worksheets"]
    assert worksheets["perspectives"][0]["author"] == "secret@example.org"
    assert worksheets["comments"][0]["author"] == "observer@test.example"
    assert "stand-in.invalid" not in export_text(new)
