"""JSON export → import into a new collaboration → export: nothing lost, nothing half-done."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from intersector.collaborations.models import Collaboration, Membership, Partner, Role, Sector
from intersector.collaborations.registry import ImportFailed
from intersector.reports.exports import export_collaboration, import_collaboration
from tests.conftest import make_partner
from tests.tasks import committed, run_queued_tasks


def comparable(document):
    document = json.loads(json.dumps(document))
    document.pop("exported_at")
    document["sections"]["collaboration"].pop("slug")
    return document


@pytest.fixture
def rich(collab, partner_org, facilitator, partner_user, observer):
    collab.title = "Ünïcode Compact — Zürich ✓"
    collab.problem_statement = (
        "Line one.\nLine two — “quoted”.\n\n  Indented <b>not bold</b> & ampersand."
    )
    collab.context = "Ça va?\r\nПривет, 世界"
    collab.save()
    make_partner(
        collab,
        "Fundação Ação Jovem",
        sector=Sector.PHILANTHROPIC,
        influence=5,
        proximity=1,
        engagement=Partner.Engagement.DECLINED,
        expertise="Multi\nline\nexpertise",
        resources="€ 10 000",
    )
    return collab


def test_round_trip_export_import_export_gives_the_same_document(rich):
    first = export_collaboration(rich)
    raw = json.dumps(first, ensure_ascii=False).encode()
    imported, _ = import_collaboration(raw)
    assert imported.pk != rich.pk and imported.slug != rich.slug
    assert comparable(export_collaboration(imported)) == comparable(first)
    assert first["sections"]["collaboration"]["context"] == "Ça va?\r\nПривет, 世界"
    roles = {m["email"]: m["role"] for m in first["sections"]["memberships"]}
    assert roles == {
        "facilitator@test.example": Role.FACILITATOR,
        "partner@test.example": Role.PARTNER,
        "observer@test.example": Role.OBSERVER,
    }
    assert "password" not in raw.decode()


def test_import_creates_accounts_without_passwords_for_unknown_people(rich):
    document = export_collaboration(rich)
    document["sections"]["memberships"].append(
        {
            "email": "new.person@test.example",
            "full_name": "Nova",
            "role": "observer",
            "partner": None,
        }
    )
    imported, context = import_collaboration(json.dumps(document))
    assert context.created_users == ["new.person@test.example"]
    member = imported.memberships.get(user__email="new.person@test.example")
    assert not member.user.has_usable_password()


def test_import_command_restores_into_a_new_collaboration(rich, tmp_path):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export_collaboration(rich), ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    call_command("import_collaboration", str(path), stdout=out)
    assert Collaboration.objects.filter(title=rich.title).count() == 2
    assert "Imported" in out.getvalue()


BAD_DOCUMENTS = {
    "not json": (b"{not json", "not a JSON file"),
    "not utf-8": (b"\xff\xfe\x00", "not UTF-8 text"),
    "a list": (b"[]", "The file must be an object"),
    "wrong version": (json.dumps({"schema_version": 99, "sections": {}}), "schema version 99"),
    "no version": (json.dumps({"sections": {}}), "schema version None"),
    "unknown section": (
        json.dumps({"schema_version": 1, "sections": {"collaboration": {}, "mystery": []}}),
        "mystery",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
def test_malformed_or_wrong_version_json_gets_a_clear_error_and_creates_nothing(case, db):
    raw, message = BAD_DOCUMENTS[case]
    with pytest.raises(ImportFailed, match=message):
        import_collaboration(raw)
    assert Collaboration.objects.count() == 0


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["sections"]["partners"].append({"name": "X", "sector": "martian"}), "sector"),
        (lambda d: d["sections"]["partners"][0].update(influence=9), "influence"),
        (lambda d: d["sections"]["partners"][0].update(colour="red"), "unknown fields"),
        (lambda d: d["sections"]["memberships"][0].update(role="king"), "unknown role"),
        (lambda d: d["sections"]["memberships"][0].update(partner="Nobody"), "Nobody"),
        (lambda d: d["sections"]["collaboration"].update(title=""), "title"),
        (lambda d: d["sections"]["collaboration"].update(current_stage="party"), "current_stage"),
        (
            lambda d: d["sections"].update(
                memberships=[m for m in d["sections"]["memberships"] if m["role"] != "facilitator"]
            ),
            "no facilitator",
        ),
    ],
)
def test_invalid_data_late_in_the_file_rolls_everything_back(rich, mutate, message):
    document = export_collaboration(rich)
    mutate(document)
    before = (Collaboration.objects.count(), Partner.objects.count(), Membership.objects.count())
    with pytest.raises(ImportFailed, match=message):
        import_collaboration(json.dumps(document))
    after = (Collaboration.objects.count(), Partner.objects.count(), Membership.objects.count())
    assert after == before


def test_import_command_reports_errors_without_a_traceback(db, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"schema_version": 2}')
    with pytest.raises(CommandError, match="Nothing was imported. This file has schema version 2"):
        call_command("import_collaboration", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_collaboration", str(tmp_path / "missing.json"))


# ---- every stage, the demo, the upload page -------------------------------------------

NASTY = "Zürich “quotes” — 世界 ✓\nsecond line\r\n\n<b>not bold</b> & done"


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)
    collaboration = Collaboration.objects.get(slug="riverton-youth-jobs-compact")
    # Non-ASCII and multi-line text in answers, history, comments and stage records.
    from design.models import Vision
    from implement.models import Milestone
    from intersector.worksheets import services
    from intersector.worksheets.models import Comment, Perspective
    from tests.dashboards.helpers import answer

    first = Perspective.objects.filter(collaboration=collaboration).order_by("pk").first()
    answer(
        first.partner,
        first.question_key,
        text=NASTY,
        version=first.version + 1,
        author=first.author,
        created_at=first.updated_at,
    )
    Comment.objects.create(
        collaboration=collaboration, question_key=first.question_key, text=NASTY, author=None
    )
    Vision.objects.filter(collaboration=collaboration).update(statement=NASTY)
    Milestone.objects.filter(collaboration=collaboration).update(title="Étape № 1 — ✓")
    assert services  # the demo's answers were written through the services
    return collaboration


def test_demo_round_trip_keeps_every_stage_history_and_text(demo):
    first = export_collaboration(demo)
    sections = first["sections"]
    for key in ("worksheets", "diagnose", "design", "implement", "assess"):
        assert key in sections
    assert sections["worksheets"]["perspectives"] and sections["worksheets"]["agreed_answers"]
    assert any(len(rows) for rows in sections["implement"].values())
    assert sections["assess"]["lessons"] and sections["assess"]["measurements"]
    assert sections["diagnose"]["decision"]["agreed_by"]
    versions = [p["version"] for p in sections["worksheets"]["perspectives"]]
    assert max(versions) >= 2  # the history travels, not only the current answer
    raw = json.dumps(first, ensure_ascii=False).encode()
    assert NASTY in first["sections"]["design"]["vision"]["statement"]
    imported, _ = import_collaboration(raw)
    second = export_collaboration(imported)
    assert comparable(second) == comparable(first)
    assert imported.vision.statement == NASTY
    assert '"id"' not in raw.decode() and '"pk"' not in raw.decode()


def test_bad_reference_deep_in_a_stage_section_rolls_everything_back(demo):
    document = export_collaboration(demo)
    document["sections"]["assess"]["measurements"][0]["indicator"] = 999
    before = Collaboration.objects.count()
    with pytest.raises(ImportFailed, match=r"assess\.measurements\[0\]\.indicator refers to"):
        import_collaboration(json.dumps(document))
    assert Collaboration.objects.count() == before


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda s: s["design"]["goals"][0].update(title=""), "goals 1"),
        (lambda s: s["design"].update(colour=[]), "unknown parts"),
        (lambda s: s["worksheets"]["agreed_answers"][0].update(status="maybe"), "status"),
        (lambda s: s["implement"]["milestones"][0].update(due="soon"), "due"),
        (lambda s: s["diagnose"]["apprehensions"][0].update(raised_by="Nobody"), "Nobody"),
    ],
)
def test_invalid_stage_data_gets_a_clear_error_and_creates_nothing(demo, mutate, message):
    document = export_collaboration(demo)
    mutate(document["sections"])
    before = Collaboration.objects.count()
    with pytest.raises(ImportFailed, match=message):
        import_collaboration(json.dumps(document))
    assert Collaboration.objects.count() == before


def _upload(client, collab, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    return client.post(
        reverse("reports:import", kwargs={"slug": collab.slug}),
        {"file": SimpleUploadedFile("export.json", content, content_type="application/json")},
    )


def test_facilitator_imports_a_file_into_a_new_collaboration_they_facilitate(
    facilitator_client, facilitator, rich
):
    raw = json.dumps(export_collaboration(rich), ensure_ascii=False).encode()
    page = facilitator_client.get(f"/c/{rich.slug}/report/import/")
    assert page.status_code == 200 and b'type="file"' in page.content
    with committed():
        response = _upload(facilitator_client, rich, raw)
    assert response.status_code == 302
    run_queued_tasks()
    new = Collaboration.objects.exclude(pk=rich.pk).get(title=rich.title)
    page = facilitator_client.get(response["Location"]).content.decode()
    assert f'href="/c/{new.slug}/"' in page
    assert new.memberships.get(user=facilitator).role == Role.FACILITATOR


def test_bad_upload_shows_a_clear_error_and_creates_nothing(facilitator_client, rich):
    before = Collaboration.objects.count()
    response = _upload(facilitator_client, rich, b'{"schema_version": 7, "sections": {}}')
    assert response.status_code == 422
    assert "Nothing was imported" in response.content.decode()
    assert "schema version 7" in response.content.decode()
    assert Collaboration.objects.count() == before
    response = _upload(facilitator_client, rich, b"\x89PNG not json")
    assert response.status_code == 422 and "not UTF-8 text" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"), [("observer", 403), ("partner", 403), ("outsider", 404)]
)
def test_only_facilitators_may_import(
    who, status, rich, observer_client, partner_client, outsider_client
):
    client = {"observer": observer_client, "partner": partner_client, "outsider": outsider_client}
    raw = json.dumps(export_collaboration(rich)).encode()
    before = Collaboration.objects.count()
    assert client[who].get(f"/c/{rich.slug}/report/import/").status_code == status
    assert _upload(client[who], rich, raw).status_code == status
    assert Collaboration.objects.count() == before


def test_anonymous_people_are_sent_to_sign_in_for_import(client, rich):
    response = client.get(f"/c/{rich.slug}/report/import/")
    assert response.status_code == 302 and "sign-in" in response["Location"]


# ---- the whole document is checked first: what is wrong, and where --------------------


def _problems(raw) -> dict[str, str]:
    with pytest.raises(ImportFailed) as caught:
        import_collaboration(raw)
    return dict(caught.value.problems)


def test_nesting_far_deeper_than_an_export_is_refused_with_a_message(rich):
    before = Collaboration.objects.count()
    deep = "[" * 100_000 + "]" * 100_000
    raw = json.dumps(export_collaboration(rich)).replace('"partners": [', f'"partners": [{deep}, ')
    with pytest.raises(ImportFailed, match="nests lists or objects far more than"):
        import_collaboration(raw)
    # Deep, but not deep enough to stop the parser: still refused, with its place.
    document = export_collaboration(rich)
    document["sections"]["partners"][0]["expertise"] = json.loads("[" * 50 + "]" * 50)
    problems = _problems(json.dumps(document))
    assert any(
        path.startswith("partners[0].expertise") and "nested" in m for path, m in problems.items()
    )
    assert Collaboration.objects.count() == before


def test_a_number_of_5000_digits_is_refused_with_its_place(rich):
    raw = json.dumps(export_collaboration(rich))
    raw = raw.replace('"influence": ', '"influence": ' + "9" * 5000 + ', "was": ', 1)
    problems = _problems(raw)
    assert "5000 digits" in problems["partners[0].influence"]
    assert Collaboration.objects.count() == 1


@pytest.mark.parametrize(
    ("mutate", "path", "message"),
    [
        (
            lambda s: s["memberships"][0].update(partner=["Northside Youth Services"]),
            "memberships[0].partner",
            "a partner's name",
        ),
        (
            lambda s: s["diagnose"]["apprehensions"][-1].update(raised_by={"name": "x"}),
            "diagnose.apprehensions[{last}].raised_by",
            "a partner's name",
        ),
        (
            lambda s: s["implement"]["milestones"][0].update(due=20260101),
            "implement.milestones[0].due",
            "must be a date",
        ),
        (
            lambda s: s["implement"]["milestones"][0].update(due=["2026-01-01"]),
            "implement.milestones[0].due",
            "must be a date",
        ),
        (
            lambda s: s["diagnose"]["apprehensions"][-1].update(created_at=[2026, 1, 1]),
            "diagnose.apprehensions[{last}].created_at",
            "must be a timestamp",
        ),
        (
            lambda s: s["worksheets"]["comments"][0].update(created_at=1767225600),
            "worksheets.comments[0].created_at",
            "must be a timestamp",
        ),
        (lambda s: s["collaboration"].update(title="Nul\x00here"), "collaboration.title", "NUL"),
        (
            lambda s: s["worksheets"]["perspectives"][0].update(text="a\x00b"),
            "worksheets.perspectives[0].text",
            "NUL",
        ),
        (
            lambda s: s["design"]["goals"][0].update(title=42),
            "design.goals[0].title",
            "must be text",
        ),
        (
            lambda s: s["assess"]["measurements"][0].update(indicator="first"),
            "assess.measurements[0].indicator",
            "row number",
        ),
        (
            lambda s: s["partners"][0].update(influence=True),
            "partners[0].influence",
            "whole number",
        ),
    ],
)
def test_a_value_of_the_wrong_kind_is_refused_with_its_path_and_nothing_is_imported(
    demo, mutate, path, message
):
    document = export_collaboration(demo)
    mutate(document["sections"])
    last = len(document["sections"]["diagnose"]["apprehensions"]) - 1
    before = (Collaboration.objects.count(), Partner.objects.count(), Membership.objects.count())
    problems = _problems(json.dumps(document))
    assert message in problems[path.format(last=last)]
    after = (Collaboration.objects.count(), Partner.objects.count(), Membership.objects.count())
    assert after == before


def test_every_problem_in_the_file_is_listed_not_only_the_first(demo):
    document = export_collaboration(demo)
    sections = document["sections"]
    sections["implement"]["milestones"][0]["due"] = 5
    sections["worksheets"]["perspectives"][1]["text"] = "\x00"
    sections["partners"][0]["sector"] = "martian"
    problems = _problems(json.dumps(document))
    assert {
        "implement.milestones[0].due",
        "worksheets.perspectives[1].text",
        "partners[0].sector",
    } <= set(problems)


def test_invalid_utf8_is_refused_with_a_message_not_replaced(rich):
    raw = json.dumps(export_collaboration(rich), ensure_ascii=False).encode()
    raw = raw.replace("Zürich".encode(), b"Z\xfcrich")  # Latin-1, not UTF-8
    with pytest.raises(ImportFailed, match=r"not UTF-8 text \(byte 0xfc on line 1"):
        import_collaboration(raw)
    assert Collaboration.objects.count() == 1


def test_a_file_over_the_size_limit_is_refused(rich, monkeypatch):
    from intersector.reports import exports

    monkeypatch.setattr(exports, "IMPORT_MAX_BYTES", 1000)
    with pytest.raises(ImportFailed, match="larger than"):
        import_collaboration(b" " * 1001)


def test_the_upload_page_states_the_size_limit_and_refuses_larger_files(
    facilitator_client, rich, monkeypatch
):
    from intersector.reports import views

    page = facilitator_client.get(f"/c/{rich.slug}/report/import/")
    assert "At most 20 MB" in page.content.decode()
    monkeypatch.setattr(views, "IMPORT_MAX_BYTES", 1000)
    response = _upload(facilitator_client, rich, b" " * 1001)
    assert response.status_code == 422
    assert "Nothing was imported" in response.content.decode()
    assert Collaboration.objects.count() == 1


def test_the_upload_page_lists_each_problem_with_its_path(facilitator_client, rich):
    document = export_collaboration(rich)
    document["sections"]["memberships"][1]["partner"] = ["a", "list"]
    document["sections"]["collaboration"]["context"] = "\x00"
    raw = json.dumps(document).encode()
    response = _upload(facilitator_client, rich, raw)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Nothing was imported" in html and "<code>collaboration.context</code>" in html
    document["sections"]["collaboration"]["context"] = ""
    response = _upload(facilitator_client, rich, json.dumps(document).encode())
    assert "<code>memberships[1].partner</code>" in response.content.decode()
    deep = b'{"schema_version": 1, "sections": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = _upload(facilitator_client, rich, deep)
    assert response.status_code == 422 and "nests lists" in response.content.decode()
    assert Collaboration.objects.count() == 1
