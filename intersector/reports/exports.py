"""The JSON export of a collaboration, and its import into a new collaboration.

The document is ``{"schema_version": 1, "generator": ..., "exported_at": ...,
"sections": {key: data, ...}}``. Each section is registered (registry.py) with an export
and a load function; this module registers the core ones: the collaboration itself, its
partners and its memberships (people by e-mail, never passwords). Stage and worksheet apps
add theirs from their own ``reporting.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import ngettext

from intersector.accounts.services import stand_in_build
from intersector.collaborations.models import Collaboration, Membership, Partner, Role
from intersector.collaborations.registry import (
    ImportFailed,
    export_sections,
    register_export_section,
)
from intersector.collaborations.serialise import (
    DocumentIndex,
    Problems,
    Spec,
    check_field,
    check_group,
    check_partner_name,
    check_row,
    check_values,
    child,
    count_group,
    parse_constant,
    parse_float,
    parse_int,
)
from intersector.collaborations.services import unique_slug
from intersector.invitations.models import Invitation
from intersector.invitations.services import invitation_create

SCHEMA_VERSION = 1
GENERATOR = "Intersector"


@dataclass
class ImportContext:
    collaboration: Collaboration
    partners: dict[str, Partner] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    created_users: list[str] = field(default_factory=list)
    # Set when a person imports (the upload page): every other member is invited, never
    # added, whether or not the address has an account. None: the operator's command,
    # which restores memberships as they were.
    invited_by: Any = None
    invited: list[str] = field(default_factory=list)
    # When a person imports: each invitation by its address, the names the memberships
    # section gives, and the stand-ins made for the authors the file names.
    invitations: dict[str, Invitation] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    stand_ins: dict[str, Any] = field(default_factory=dict)
    # Rows created so far, per serialise.Spec kind, in file order: later sections refer
    # to them by position (a milestone's activity, a lesson's measurements).
    refs: dict[str, list] = field(default_factory=dict)

    def partner(self, name: str | None) -> Partner | None:
        if name is None:
            return None
        try:
            return self.partners[name]
        except KeyError:
            raise ImportFailed(
                f"The file refers to a partner {name!r} that it does not list."
            ) from None

    def user(self, email: str):
        try:
            return self.users[email.lower()]
        except KeyError:
            raise ImportFailed(
                f"The file refers to a person {email!r} who is not a member."
            ) from None

    def person(self, email: str):
        """The author of a record.

        Imported by a person: the importer, else a stand-in (the file's name for them, no
        account of anyone else's: a file must not be a way to see who has an account, or
        to pin records on them). Restored by the operator's command: a member, else an
        existing account, else a new account without a usable password (people who left
        still get their history)."""
        key = email.strip().lower()
        if self.invited_by is not None:
            if key == self.invited_by.email.lower():
                return self.invited_by
            return self._stand_in(email.strip())
        if key in self.users:
            return self.users[key]
        User = get_user_model()
        user = User.objects.filter(email__iexact=key).first()
        if user is None:
            user = User(email=email.strip())
            user.set_unusable_password()
            _clean(user, f"The person {email!r}", exclude=["password"])
            user.save()
            self.created_users.append(email.strip())
        self.users[key] = user
        return user

    def _stand_in(self, email: str):
        key = email.lower()
        if key not in self.stand_ins:
            stand_in = stand_in_build(imported_as=email, full_name=self.names.get(key) or email)
            _clean(stand_in, f"The person {email!r}", exclude=["password"])
            stand_in.save()
            invitation = self.invitations.get(key)
            if invitation is not None:
                invitation.stand_in = stand_in
                invitation.save(update_fields=["stand_in"])
            self.stand_ins[key] = stand_in
        return self.stand_ins[key]


def _expect(value, kind, where: str):
    if not isinstance(value, kind):
        names = {dict: "an object", list: "a list", str: "text", int: "a number"}
        expected = names.get(kind, getattr(kind, "__name__", str(kind)))
        raise ImportFailed(f"{where} must be {expected}.")
    return value


def _clean(instance, where: str, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except (TypeError, ValueError) as exc:
        raise ImportFailed(f"{where} is not valid ({exc}).") from None
    except ValidationError as exc:
        details = "; ".join(
            f"{name}: {' '.join(str(m) for m in messages)}"
            for name, messages in exc.message_dict.items()
        )
        raise ImportFailed(f"{where} is not valid ({details}).") from None


# ---- core sections -------------------------------------------------------------------

COLLABORATION_FIELDS = ("title", "problem_statement", "origin", "context", "current_stage")
PARTNER_FIELDS = (
    "name",
    "sector",
    "influence",
    "proximity",
    "engagement",
    "expertise",
    "resources",
)


def export_collaboration_fields(collaboration: Collaboration) -> dict:
    return {name: getattr(collaboration, name) for name in COLLABORATION_FIELDS} | {
        "slug": collaboration.slug
    }


def load_collaboration_fields(collaboration: Collaboration, data, context: ImportContext) -> None:
    pass  # applied by import_collaboration before any other section (it creates the row)


def export_partners(collaboration: Collaboration) -> list[dict]:
    return [
        {name: getattr(partner, name) for name in PARTNER_FIELDS}
        for partner in collaboration.partners.order_by("name")
    ]


def load_partners(collaboration: Collaboration, data, context: ImportContext) -> None:
    for index, row in enumerate(_expect(data, list, "“partners”"), start=1):
        where = f"Partner {index}"
        _expect(row, dict, where)
        unknown = set(row) - set(PARTNER_FIELDS)
        if unknown:
            raise ImportFailed(f"{where} has unknown fields: {', '.join(sorted(unknown))}.")
        try:
            partner = Partner(collaboration=collaboration, **row)
        except (TypeError, ValueError) as exc:
            raise ImportFailed(f"{where} is not valid ({exc}).") from None
        _clean(partner, f"{where} ({row.get('name', '?')})", exclude=["collaboration"])
        if partner.name in context.partners:
            raise ImportFailed(f"The partner {partner.name!r} is listed twice.")
        partner.save()
        context.partners[partner.name] = partner


def export_memberships(collaboration: Collaboration) -> list[dict]:
    return [
        {
            "email": m.user.email,
            "full_name": m.user.full_name,
            "role": m.role,
            "partner": m.partner.name if m.partner else None,
        }
        for m in collaboration.memberships.select_related("user", "partner").order_by("user__email")
    ]


def load_memberships(collaboration: Collaboration, data, context: ImportContext) -> None:
    """Imported by a person: everyone else is invited (an invitation they accept, the same
    whether or not the address has an account). Restored by the operator's command: people
    are matched by e-mail; unknown people get an account with no usable password (they set
    one through "forgot password")."""
    User = get_user_model()
    for index, row in enumerate(_expect(data, list, "“memberships”"), start=1):
        where = f"Membership {index}"
        _expect(row, dict, where)
        email = _expect(row.get("email"), str, f"{where}: “email”").strip()
        role = row.get("role")
        if role not in Role.values:
            raise ImportFailed(f"{where} ({email}): unknown role {role!r}.")
        if email.lower() in context.users or email.lower() in context.invited:
            raise ImportFailed(f"{where}: {email} is listed twice.")
        if context.invited_by is not None:
            if email.lower() != context.invited_by.email.lower():
                context.invitations[email.lower()] = invitation_create(
                    collaboration=collaboration,
                    email=email,
                    role=role,
                    partner=context.partner(row.get("partner")),
                    by=context.invited_by,
                )
                context.invited.append(email.lower())
                context.names[email.lower()] = str(row.get("full_name") or "")
            continue
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(email=email, full_name=str(row.get("full_name") or ""))
            user.set_unusable_password()
            _clean(user, f"{where} ({email})", exclude=["password"])
            user.save()
            context.created_users.append(email)
        membership = Membership(
            user=user,
            collaboration=collaboration,
            role=role,
            partner=context.partner(row.get("partner")),
        )
        membership.save()
        context.users[email.lower()] = user


register_export_section(
    "collaboration", export=export_collaboration_fields, load=load_collaboration_fields
)
register_export_section("partners", export=export_partners, load=load_partners)
register_export_section("memberships", export=export_memberships, load=load_memberships)


# ---- the document --------------------------------------------------------------------


def export_collaboration(collaboration: Collaboration) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": GENERATOR,
        "exported_at": timezone.now().isoformat(),
        "sections": {section.key: section.export(collaboration) for section in export_sections()},
    }


IMPORT_MAX_BYTES = 20 * 1024 * 1024  # the largest export we know of is under 2 MB
MAX_DEPTH = 10  # a section nests 5 levels deep at most; anything deeper is not ours

PARTNER_SPEC = Spec(kind="collaborations.partner", model=Partner, fields=PARTNER_FIELDS)


def _refuse_problems(problems: Problems) -> None:
    if problems:
        raise ImportFailed(
            ngettext(
                "The file has %(count)d problem:",
                "The file has %(count)d problems:",
                problems.count,
            )
            % {"count": problems.count},
            problems=problems.items,
            more=problems.count - len(problems.items),
        )


def export_text(collaboration: Collaboration) -> str:
    """The export file's text, as it is downloaded."""
    return json.dumps(export_collaboration(collaboration), ensure_ascii=False, indent=2)


def decode_upload(raw: bytes | str) -> str:
    """An upload's text, or ImportFailed when it is too large or not UTF-8."""
    if len(raw) > IMPORT_MAX_BYTES:
        raise ImportFailed(
            f"This file is larger than {IMPORT_MAX_BYTES // (1024 * 1024)} MB, the most "
            "Intersector imports; it cannot be an Intersector export."
        )
    if isinstance(raw, bytes):
        try:
            raw = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise ImportFailed(
                f"This file is not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line}, at "
                f"byte {exc.start + 1}), so it is not an Intersector export; nothing in it "
                "was read or replaced."
            ) from None
    return raw


def read_json(raw: bytes | str):
    """The parsed document, or ImportFailed saying what stops it being read at all."""
    raw = decode_upload(raw)
    try:
        return json.loads(
            raw, parse_int=parse_int, parse_float=parse_float, parse_constant=parse_constant
        )
    except json.JSONDecodeError as exc:
        raise ImportFailed(
            f"This is not a JSON file Intersector can read ({exc.msg}: line {exc.lineno}, "
            f"column {exc.colno})."
        ) from None
    except RecursionError:
        raise ImportFailed(
            f"This file nests lists or objects far more than {MAX_DEPTH} levels deep; it "
            "cannot be an Intersector export."
        ) from None
    except ValueError as exc:
        raise ImportFailed(f"This is not a JSON file Intersector can read ({exc}).") from None


def parse_document(raw: bytes | str) -> dict:
    document = read_json(raw)
    _expect(document, dict, "The file")
    version = document.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ImportFailed(
            f"This file has schema version {version!r}; this Intersector reads version "
            f"{SCHEMA_VERSION}. Export it again from an Intersector of the same version."
        )
    sections = _expect(document.get("sections"), dict, "“sections”")
    known = {section.key for section in export_sections()}
    unknown = set(sections) - known
    if unknown:
        raise ImportFailed(
            "The file has sections this Intersector does not know, so importing it would "
            f"lose them: {', '.join(sorted(unknown))}."
        )
    if "collaboration" not in sections:
        raise ImportFailed("The file has no “collaboration” section.")
    validate_document(document)
    return document


def _check_collaboration(data, problems: Problems) -> None:
    path = "collaboration"
    if not isinstance(data, dict):
        problems.add(path, "must be an object.")
        return
    unknown = set(data) - set(COLLABORATION_FIELDS) - {"slug"}
    if unknown:
        problems.add(path, f"has unknown fields: {', '.join(sorted(unknown))}.")
    if not isinstance(data.get("title"), str):
        problems.add(child(path, "title"), "must be text.")
    for name in COLLABORATION_FIELDS:
        if name in data:
            check_field(
                Collaboration._meta.get_field(name), data[name], child(path, name), problems
            )
    if "slug" in data and not isinstance(data["slug"], str):
        problems.add(child(path, "slug"), "must be text.")


def _check_partners(data, index: DocumentIndex, problems: Problems) -> None:
    if not isinstance(data, list):
        problems.add("partners", "must be a list.")
        return
    for position, row in enumerate(data):
        path = child("partners", position)
        check_row(PARTNER_SPEC, row, path, index, problems)
        name = row.get("name") if isinstance(row, dict) else None
        if not isinstance(name, str):
            problems.add(child(path, "name"), "must be text.")
        elif name in index.partner_names:
            problems.add(child(path, "name"), f"{name!r} is listed twice.")
        else:
            index.partner_names.add(name)


MEMBERSHIP_KEYS = {"email", "full_name", "role", "partner"}


def _check_memberships(data, index: DocumentIndex, problems: Problems) -> None:
    if not isinstance(data, list):
        problems.add("memberships", "must be a list.")
        return
    User = get_user_model()
    seen: set[str] = set()
    for position, row in enumerate(data):
        path = child("memberships", position)
        if not isinstance(row, dict):
            problems.add(path, "must be an object.")
            continue
        unknown = set(row) - MEMBERSHIP_KEYS
        if unknown:
            problems.add(path, f"has unknown fields: {', '.join(sorted(unknown))}.")
        email = row.get("email")
        if not isinstance(email, str) or not email.strip():
            problems.add(child(path, "email"), "must be an e-mail address (text).")
        else:
            check_field(
                User._meta.get_field("email"), email.strip(), child(path, "email"), problems
            )
            if email.strip().lower() in seen:
                problems.add(child(path, "email"), f"{email} is listed twice.")
            seen.add(email.strip().lower())
        if row.get("full_name") is not None:
            check_field(
                User._meta.get_field("full_name"),
                row["full_name"],
                child(path, "full_name"),
                problems,
            )
        if row.get("role") not in Role.values:
            problems.add(child(path, "role"), f"unknown role {row.get('role')!r}.")
        check_partner_name(row.get("partner"), child(path, "partner"), index, problems)


def validate_document(document: dict) -> None:
    """Check the whole document before anything is written: ImportFailed lists every
    problem with its path (``diagnose.apprehensions[3].raised_on``)."""
    problems = Problems()
    check_values(document["sections"], problems, max_depth=MAX_DEPTH)
    sections = document["sections"]
    index = DocumentIndex()
    _check_collaboration(sections["collaboration"], problems)
    _check_partners(sections.get("partners", []), index, problems)
    _check_memberships(sections.get("memberships", []), index, problems)
    grouped = [s for s in export_sections() if s.specs is not None and s.key in sections]
    for section in grouped:
        count_group(section.specs, sections[section.key], index)
    for section in grouped:
        check_group(
            section.specs, sections[section.key], section.key, index, problems, section.extra
        )
    _refuse_problems(problems)


def import_collaboration(
    raw: bytes | str, *, facilitator=None
) -> tuple[Collaboration, ImportContext]:
    """Create a NEW collaboration from an export, all or nothing.

    The whole document is checked first (``parse_document``). ``facilitator`` (the person
    uploading) becomes a facilitator of it, whatever role the file gives them.
    """
    document = parse_document(raw)
    try:
        return _import_document(document, facilitator=facilitator)
    except ImportFailed:
        raise
    except (DatabaseError, ValueError, TypeError, OverflowError) as exc:
        # The checks above should leave nothing for the database to refuse; if they missed
        # something, the person still gets "nothing was imported", never a 500.
        raise ImportFailed(
            f"The database refused a value in this file ({type(exc).__name__}: "
            f"{str(exc)[:200]}); nothing was imported."
        ) from exc


@transaction.atomic
def _import_document(document: dict, *, facilitator) -> tuple[Collaboration, ImportContext]:
    sections = document["sections"]
    data = _expect(sections["collaboration"], dict, "“collaboration”")
    unknown = set(data) - set(COLLABORATION_FIELDS) - {"slug"}
    if unknown:
        raise ImportFailed(f"“collaboration” has unknown fields: {', '.join(sorted(unknown))}.")
    fields = {name: data[name] for name in COLLABORATION_FIELDS if name in data}
    title = _expect(fields.get("title"), str, "The collaboration's “title”")
    collaboration = Collaboration(slug=unique_slug(title), **fields)
    _clean(collaboration, "The collaboration")
    collaboration.save()
    context = ImportContext(collaboration=collaboration, invited_by=facilitator)
    for section in export_sections():
        if section.key in sections and section.key != "collaboration":
            section.load(collaboration, sections[section.key], context)
    if facilitator is not None:
        # The person importing always becomes a facilitator of the new collaboration.
        Membership.objects.update_or_create(
            user=facilitator, collaboration=collaboration, defaults={"role": Role.FACILITATOR}
        )
    if not collaboration.memberships.filter(role=Role.FACILITATOR).exists():
        raise ImportFailed("The file names no facilitator; a collaboration needs at least one.")
    return collaboration, context
