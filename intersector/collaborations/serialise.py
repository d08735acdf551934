"""Declarative JSON export and import of a collaboration's rows (used by ``<app>/reporting.py``).

A ``Spec`` says how one model travels in the export document:

- ``fields``: plain values (text, numbers, choices, dates; decimals travel as text);
- ``partners`` / ``people``: foreign keys written as the partner's name / the person's e-mail;
- ``refs``: foreign keys to rows of another spec, written as that row's position (0-based)
  in the other spec's exported list (``{"goal": "design.goal"}``), ``m2m_refs`` the same for
  many-to-many fields, ``m2m_partners`` many-to-many fields to partners (names);
- ``restore``: ``auto_now_add`` timestamps, restored after the row is created;
- ``order``: a deterministic export order. ``pk`` is always the last tie-breaker, and rows
  are imported in the exported order, so a second export lists them the same way.

Ids never appear in the document, so export → import → export gives the same document.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from .registry import ImportFailed

_SPECS: dict[str, Spec] = {}


@dataclass(frozen=True)
class Spec:
    kind: str  # e.g. "design.goal": how other specs refer to these rows
    model: type[models.Model]
    fields: tuple[str, ...]
    order: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    refs: dict[str, str] = field(default_factory=dict)
    m2m_refs: dict[str, str] = field(default_factory=dict)
    m2m_partners: tuple[str, ...] = ()
    restore: tuple[str, ...] = ()
    single: bool = False  # a one-to-one record (vision, decision …): an object or null

    def __post_init__(self):
        _SPECS[self.kind] = self

    @property
    def keys(self) -> tuple[str, ...]:
        return (
            *self.fields,
            *self.partners,
            *self.people,
            *self.refs,
            *self.m2m_refs,
            *self.m2m_partners,
            *self.restore,
        )

    def queryset(self, collaboration):
        qs = self.model.objects.filter(collaboration=collaboration).order_by(*self.order, "pk")
        related = [*self.partners, *self.people]
        if related:
            qs = qs.select_related(*related)
        prefetch = [*self.m2m_refs, *self.m2m_partners]
        if prefetch:
            qs = qs.prefetch_related(*prefetch)
        return qs


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


class ExportIndex:
    """Positions of exported rows, computed once per kind and export (one query each)."""

    def __init__(self, collaboration):
        self.collaboration = collaboration
        self._positions: dict[str, dict[int, int]] = {}

    def position(self, kind: str, pk: int | None) -> int | None:
        if pk is None:
            return None
        if kind not in self._positions:
            pks = _SPECS[kind].queryset(self.collaboration).values_list("pk", flat=True)
            self._positions[kind] = {value: i for i, value in enumerate(pks)}
        return self._positions[kind][pk]


def dump(spec: Spec, obj, index: ExportIndex) -> dict:
    row = {name: _json_value(getattr(obj, name)) for name in spec.fields}
    for name in spec.partners:
        partner = getattr(obj, name)
        row[name] = partner.name if partner else None
    for name in spec.people:
        person = getattr(obj, name)
        # A stand-in (accounts.services) travels as the address the imported file gave.
        row[name] = (person.imported_as or person.email) if person else None
    for name, kind in spec.refs.items():
        row[name] = index.position(kind, getattr(obj, f"{name}_id"))
    for name, kind in spec.m2m_refs.items():
        row[name] = sorted(index.position(kind, o.pk) for o in getattr(obj, name).all())
    for name in spec.m2m_partners:
        row[name] = sorted(p.name for p in getattr(obj, name).all())
    for name in spec.restore:
        row[name] = _json_value(getattr(obj, name))
    return row


def export_rows(spec: Spec, collaboration, index: ExportIndex | None = None) -> list[dict]:
    index = index or ExportIndex(collaboration)
    return [dump(spec, obj, index) for obj in spec.queryset(collaboration)]


def export_one(spec: Spec, collaboration, index: ExportIndex | None = None) -> dict | None:
    obj = spec.queryset(collaboration).first()
    return dump(spec, obj, index or ExportIndex(collaboration)) if obj else None


# ---- import ---------------------------------------------------------------------------


def expect(value, kind, where: str):
    if not isinstance(value, kind):
        names = {dict: "an object", list: "a list", str: "text", int: "a number"}
        raise ImportFailed(f"{where} must be {names.get(kind, kind.__name__)}.")
    return value


def _python(model, name: str, value, where: str):
    if value is None:
        return None
    model_field = model._meta.get_field(name)
    try:
        return model_field.to_python(value)
    except ValidationError as exc:
        raise ImportFailed(f"{where}: “{name}” is not valid ({' '.join(exc.messages)}).") from None


def _ref(context, kind: str, position, where: str):
    if position is None:
        return None
    rows = context.refs.get(kind, [])
    if not isinstance(position, int) or isinstance(position, bool) or not 0 <= position < len(rows):
        raise ImportFailed(f"{where} refers to a {kind} row {position!r} that the file lacks.")
    return rows[position]


def load_row(spec: Spec, collaboration, row, context, where: str):
    expect(row, dict, where)
    unknown = set(row) - set(spec.keys)
    if unknown:
        raise ImportFailed(f"{where} has unknown fields: {', '.join(sorted(unknown))}.")
    values: dict[str, Any] = {"collaboration": collaboration}
    for name in spec.fields:
        if name in row:
            values[name] = _python(spec.model, name, row[name], where)
    for name in spec.partners:
        name_value = row.get(name)
        if name_value is not None:
            expect(name_value, str, f"{where}: “{name}”")
        values[name] = context.partner(name_value)
    for name in spec.people:
        email = row.get(name)
        values[name] = context.person(expect(email, str, f"{where}: “{name}”")) if email else None
    for name, kind in spec.refs.items():
        values[name] = _ref(context, kind, row.get(name), where)
    obj = spec.model(**values)
    # A person who left (author set to NULL) or an optional link may be empty even where
    # the form would require it: the database allows it, so the import does too.
    exclude = [
        name
        for name in (*spec.people, *spec.partners, *spec.refs)
        if values.get(name) is None and spec.model._meta.get_field(name).null
    ]
    try:
        obj.full_clean(exclude=exclude, validate_unique=True)
    except ValidationError as exc:
        details = "; ".join(
            f"{name}: {' '.join(str(m) for m in messages)}"
            for name, messages in exc.message_dict.items()
        )
        raise ImportFailed(f"{where} is not valid ({details}).") from None
    obj.save()
    for name, kind in spec.m2m_refs.items():
        positions = expect(row.get(name, []), list, f"{where}: “{name}”")
        getattr(obj, name).set([_ref(context, kind, p, where) for p in positions])
    for name in spec.m2m_partners:
        names = expect(row.get(name, []), list, f"{where}: “{name}”")
        getattr(obj, name).set([context.partner(n) for n in names])
    restored = {
        name: _python(spec.model, name, row[name], where)
        for name in spec.restore
        if row.get(name) is not None
    }
    if restored:
        spec.model.objects.filter(pk=obj.pk).update(**restored)
    context.refs.setdefault(spec.kind, []).append(obj)
    return obj


def load_rows(spec: Spec, collaboration, rows, context, where: str) -> None:
    for number, row in enumerate(expect(rows, list, f"“{where}”"), start=1):
        load_row(spec, collaboration, row, context, f"{where} {number}")


def load_one(spec: Spec, collaboration, row, context, where: str) -> None:
    if row is not None:
        load_row(spec, collaboration, row, context, where)


def export_group(specs: dict[str, Spec], collaboration) -> dict:
    """One export section made of several specs: ``{name: rows (or one row)}``."""
    index = ExportIndex(collaboration)
    return {
        name: export_one(spec, collaboration, index)
        if spec.single
        else export_rows(spec, collaboration, index)
        for name, spec in specs.items()
    }


def load_group(specs: dict[str, Spec], collaboration, data, context, section: str) -> None:
    expect(data, dict, f"“{section}”")
    unknown = set(data) - set(specs)
    if unknown:
        raise ImportFailed(f"“{section}” has unknown parts: {', '.join(sorted(unknown))}.")
    for name, spec in specs.items():
        where = f"{section} → {name}"
        if spec.single:
            load_one(spec, collaboration, data.get(name), context, where)
        else:
            load_rows(spec, collaboration, data.get(name, []), context, where)


# ---- validation of a whole document, before anything is written -------------------------
#
# The loaders above stop at the first problem and rely on the database for the rest; the
# checks below read the whole document first, so a person fixing a file sees every
# problem at once, each with its place (``diagnose.apprehensions[3].raised_on``), and
# nothing reaches the database that it would refuse with an error of its own (a NUL
# character, a number beyond 64 bits, a list where a date belongs).


class TooLargeNumber:
    """What the parser puts in place of a number too long to be any value of ours."""

    def __init__(self, text: str):
        self.digits = len(text.lstrip("-").replace(".", ""))

    def __repr__(self) -> str:
        return f"<a number of {self.digits} digits>"


class NotANumber:
    """``NaN`` or ``Infinity``: Python's JSON parser accepts them, JSON does not."""

    def __init__(self, text: str):
        self.text = text


NUMBER_DIGITS = 18  # the longest integer that fits a signed 64-bit column
DECIMAL_DIGITS = 30


def parse_int(text: str):
    return TooLargeNumber(text) if len(text.lstrip("-")) > NUMBER_DIGITS else int(text)


def parse_float(text: str):
    return TooLargeNumber(text) if len(text) > DECIMAL_DIGITS else float(text)


def parse_constant(text: str):
    return NotANumber(text)


@dataclass
class Problems:
    """What is wrong in a document, each with its path; the first ``limit`` are kept."""

    items: list[tuple[str, str]] = field(default_factory=list)
    count: int = 0
    limit: int = 50

    def add(self, path: str, message: str) -> None:
        self.count += 1
        if len(self.items) < self.limit:
            self.items.append((path or "(the file)", message))

    def __bool__(self) -> bool:
        return self.count > 0


def child(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _kind_of(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float | TooLargeNumber | NotANumber):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def check_values(document, problems: Problems, *, max_depth: int) -> None:
    """Every value, whatever its place: no NUL, no oversized or non-finite number, no
    nesting deeper than an export ever goes. Iterative, so any depth is safe to walk."""
    stack: list[tuple[Any, str, int]] = [(document, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > max_depth:
            problems.add(path, f"is nested more than {max_depth} levels deep.")
            continue
        if isinstance(value, str):
            if "\x00" in value:
                problems.add(path, "contains a NUL character (\\u0000), which text cannot hold.")
        elif isinstance(value, TooLargeNumber):
            problems.add(path, f"is a number of {value.digits} digits, too large to be valid.")
        elif isinstance(value, NotANumber):
            problems.add(path, f"is {value.text}, which is not a number.")
        elif isinstance(value, float) and not math.isfinite(value):
            problems.add(path, "is not a finite number.")
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                if "\x00" in key:
                    problems.add(path, "has a field name with a NUL character.")
                stack.append((item, child(path, key), depth + 1))
        elif isinstance(value, list):
            for index in range(len(value) - 1, -1, -1):
                stack.append((value[index], child(path, index), depth + 1))


def _clean_problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc) or type(exc).__name__


def check_field(model_field, value, path: str, problems: Problems) -> None:
    """One plain value against its model field: the type a form would accept, then the
    field's own parsing (dates, decimals) — no database needed."""
    if value is None or isinstance(value, TooLargeNumber | NotANumber):
        if value is None and not model_field.null:
            problems.add(path, "must not be null.")
        return  # oversized and non-finite numbers are reported by check_values
    if isinstance(model_field, models.DateTimeField):
        if not isinstance(value, str):
            problems.add(path, f"must be a timestamp as text (ISO 8601), not {_kind_of(value)}.")
            return
    elif isinstance(model_field, models.DateField):
        if not isinstance(value, str):
            problems.add(path, f"must be a date as text (YYYY-MM-DD), not {_kind_of(value)}.")
            return
    elif isinstance(model_field, models.DecimalField):
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            problems.add(path, f"must be a number (or a number as text), not {_kind_of(value)}.")
            return
    elif isinstance(model_field, models.IntegerField):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.add(path, f"must be a whole number, not {_kind_of(value)}.")
            return
    elif isinstance(model_field, models.BooleanField):
        if not isinstance(value, bool):
            problems.add(path, f"must be true or false, not {_kind_of(value)}.")
            return
    elif isinstance(model_field, models.CharField | models.TextField) and not isinstance(
        value, str
    ):
        problems.add(path, f"must be text, not {_kind_of(value)}.")
        return
    try:
        python = model_field.to_python(value)
        allowed_values = {c[0] for c in model_field.flatchoices}
        if model_field.blank:
            allowed_values.add("")
        if model_field.choices and python not in allowed_values:
            allowed = ", ".join(str(c[0]) for c in model_field.flatchoices)
            problems.add(path, f"is {value!r}, not one of: {allowed}.")
            return
        for validator in model_field.validators:
            validator(python)
    except (ValidationError, TypeError, ValueError, ArithmeticError) as exc:
        problems.add(path, f"is not valid ({_clean_problem(exc)}).")


@dataclass
class DocumentIndex:
    """What rows refer to: the partners' names, and how many rows each spec kind has."""

    partner_names: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)


def check_partner_name(value, where: str, index: DocumentIndex, problems: Problems) -> None:
    if value is None or isinstance(value, TooLargeNumber | NotANumber):
        return  # reported by check_values
    if not isinstance(value, str):
        problems.add(where, f"must be a partner's name (text), not {_kind_of(value)}.")
    elif value not in index.partner_names:
        problems.add(where, f"names a partner {value!r} the file does not list.")


def _check_position(value, kind: str, where: str, index: DocumentIndex, problems: Problems):
    if value is None or isinstance(value, TooLargeNumber | NotANumber):
        return  # reported by check_values
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(where, f"must be a row number, not {_kind_of(value)}.")
    elif not 0 <= value < index.counts.get(kind, 0):
        problems.add(where, f"refers to a {kind} row {value} the file lacks.")


def _check_list(values, where: str, problems: Problems) -> list:
    if not isinstance(values, list):
        problems.add(where, f"must be a list, not {_kind_of(values)}.")
        return []
    for position, value in enumerate(values):
        if value is None:
            problems.add(child(where, position), "must not be null.")
    return [(child(where, position), value) for position, value in enumerate(values)]


def check_row(spec: Spec, row, path: str, index: DocumentIndex, problems: Problems) -> None:
    if not isinstance(row, dict):
        problems.add(path, f"must be an object, not {_kind_of(row)}.")
        return
    unknown = set(row) - set(spec.keys)
    if unknown:
        problems.add(path, f"has unknown fields: {', '.join(sorted(unknown))}.")
    for name in (*spec.fields, *spec.restore):
        if name in row:
            check_field(spec.model._meta.get_field(name), row[name], child(path, name), problems)
    for name in spec.partners:
        check_partner_name(row.get(name), child(path, name), index, problems)
    for name in spec.people:
        value = row.get(name)
        if value is not None and not isinstance(value, str):
            problems.add(child(path, name), f"must be an e-mail address, not {_kind_of(value)}.")
    for name, kind in spec.refs.items():
        _check_position(row.get(name), kind, child(path, name), index, problems)
    for name, kind in spec.m2m_refs.items():
        for where, value in _check_list(row.get(name, []), child(path, name), problems):
            _check_position(value, kind, where, index, problems)
    for name in spec.m2m_partners:
        for where, value in _check_list(row.get(name, []), child(path, name), problems):
            check_partner_name(value, where, index, problems)


def count_group(specs: dict[str, Spec], data, index: DocumentIndex) -> None:
    if not isinstance(data, dict):
        return
    for name, spec in specs.items():
        rows = data.get(name)
        if spec.single:
            index.counts[spec.kind] = 1 if isinstance(rows, dict) else 0
        elif isinstance(rows, list):
            index.counts[spec.kind] = len(rows)


def check_group(
    specs: dict[str, Spec],
    data,
    path: str,
    index: DocumentIndex,
    problems: Problems,
    extra: tuple[str, ...] = (),
) -> None:
    if not isinstance(data, dict):
        problems.add(path, f"must be an object, not {_kind_of(data)}.")
        return
    unknown = set(data) - set(specs) - set(extra)
    if unknown:
        problems.add(path, f"has unknown parts: {', '.join(sorted(unknown))}.")
    for name, spec in specs.items():
        value = data.get(name)
        where = child(path, name)
        if spec.single:
            if value is not None:
                check_row(spec, value, where, index, problems)
        elif value is not None:
            if not isinstance(value, list):
                problems.add(where, f"must be a list, not {_kind_of(value)}.")
                continue
            for position, row in enumerate(value):
                check_row(spec, row, child(where, position), index, problems)
