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
        row[name] = person.email if person else None
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
