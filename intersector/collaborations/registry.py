"""Extension points for the apps that own report content and exported data.

A stage or worksheet app adds its share of the report and of the JSON export from its own
``<app>/reporting.py`` (imported automatically when Django starts), never by editing this
app:

    from intersector.collaborations.registry import register_export_section, register_report_data

    register_report_data("design", design_report_data)          # -> report.data.design
    register_export_section("design", export=export_design, load=import_design)

``register_report_data(key, func)``: ``func(collaboration, stage_keys)`` runs once per
report (fetch everything in a constant number of queries) and its return value is
available to every report template as ``report.data.<key>``.

``register_export_section(key, export=..., load=...)``: ``export(collaboration)`` returns
JSON-serialisable data stored under ``document["sections"][key]``; ``load(collaboration,
data, context)`` recreates it inside the import transaction. ``context`` is an
``ImportContext``: ``context.partner(name)`` gives the new Partner of that name,
``context.user(email)`` the account of a member of that e-mail; ``serialise.Spec.people``
fields go through ``context.person(email)``. Raise ``ImportFailed`` with a clear
message for bad data. Refer to partners by name and to people by e-mail, never by id.
Sections load in registration order (core sections first, then INSTALLED_APPS order).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class ImportFailed(ValueError):
    """The document cannot be imported; the message says why, in words for people.

    ``problems`` lists ``(path, message)`` pairs when the whole document was checked
    (``diagnose.apprehensions[3].raised_on``, "must be a date …"), ``more`` how many
    further problems were left out of the list.
    """

    def __init__(self, message: str, *, problems=(), more: int = 0):
        super().__init__(message)
        self.problems = list(problems)
        self.more = more

    @property
    def summary(self) -> str:
        return self.args[0]

    def __str__(self) -> str:
        listed = "; ".join(f"{path} {message}" for path, message in self.problems)
        more = f"; and {self.more} more" if self.more else ""
        return f"{self.summary} {listed}{more}" if listed else self.summary


@dataclass(frozen=True)
class ExportSection:
    key: str
    export: Callable[[Any], Any]
    load: Callable[[Any, Any, Any], None]
    # ``{name: serialise.Spec}`` when the section is a group of specs: the whole document
    # is then checked against them before anything is written.
    specs: dict[str, Any] | None = None
    # Parts of the section the specs do not describe (its ``load`` checks them itself).
    extra: tuple[str, ...] = ()


_export_sections: dict[str, ExportSection] = {}
_report_data: dict[str, Callable[[Any, tuple[str, ...]], Any]] = {}


def register_export_section(
    key: str,
    *,
    export: Callable[[Any], Any],
    load: Callable[[Any, Any, Any], None],
    specs: dict[str, Any] | None = None,
    extra: tuple[str, ...] = (),
) -> None:
    if key in _export_sections and _export_sections[key].export is not export:
        raise ValueError(f"Export section {key!r} is already registered")
    _export_sections[key] = ExportSection(
        key=key, export=export, load=load, specs=specs, extra=extra
    )


def export_sections() -> tuple[ExportSection, ...]:
    return tuple(_export_sections.values())


def register_report_data(key: str, func: Callable[[Any, tuple[str, ...]], Any]) -> None:
    if key in _report_data and _report_data[key] is not func:
        raise ValueError(f"Report data {key!r} is already registered")
    _report_data[key] = func


def report_data_providers() -> dict[str, Callable[[Any, tuple[str, ...]], Any]]:
    return dict(_report_data)


# --- Membership changes --------------------------------------------------------------------
# An app above this one that must act when someone changes role or is removed
# (the notifications of ``intersector/invitations/events.py``) registers a listener:
#
#     register_membership_listener(tell_the_member)
#
# ``listener(change=..., membership=..., by=..., before=...)`` runs inside the service's
# transaction, after the change is written (before the row is deleted, for "removed");
# ``before`` is the membership as it was, for "changed". It must not query per member.

MEMBERSHIP_CHANGED, MEMBERSHIP_REMOVED = "changed", "removed"
_membership_listeners: list[Callable[..., None]] = []


def register_membership_listener(listener: Callable[..., None]) -> None:
    if listener not in _membership_listeners:
        _membership_listeners.append(listener)


def membership_changed(*, change: str, membership, by=None, before=None) -> None:
    for listener in _membership_listeners:
        listener(change=change, membership=membership, by=by, before=before)
