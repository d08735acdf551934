"""JSON export → import into a new collaboration → export: nothing lost, nothing half-done."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from intersector.collaborations.models import Collaboration, Membership, Partner, Role, Sector
from intersector.reports.exports import export_collaboration, import_collaboration
from intersector.reports.registry import ImportFailed
from tests.conftest import make_partner


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
    "not utf-8": (b"\xff\xfe\x00", "not a JSON file"),
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
