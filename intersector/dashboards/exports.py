"""CSV tables a facilitator pastes into a spreadsheet: one implementation for every table.

A table is a name, a title, the columns (a header and a function of one row) and a function
returning the rows of one collaboration. Declare one with ``register(Table(...))`` and the
one view (``dashboards:export``) serves it at ``c/<slug>/dashboard/export/<name>.csv``;
reports and other apps may register more from their own modules.

Files are UTF-8 with a byte-order mark (so Excel detects the encoding), quoted by Python's
``csv`` module (commas, quotes and line breaks survive), and text cells that a spreadsheet
would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR) are prefixed with ``'``
(OWASP "CSV injection"). Numbers and dates are written as they are.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from assess.models import Measurement
from design.models import Indicator, Task
from implement.models import Milestone
from intersector.collaborations.access import Need
from intersector.collaborations.models import Collaboration, Membership, Partner
from intersector.worksheets.models import ProposalResponse
from intersector.worksheets.toolkit import questions_by_key

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class Table:
    name: str  # in the URL: letters, digits and hyphens
    title: str
    columns: tuple[Column, ...]
    rows: Callable[[Collaboration], Iterable[Any]]  # a fixed number of queries
    need: Need = Need.READ  # who may download it (personal data: Need.MANAGE)
    description: str = ""


TABLES: dict[str, Table] = {}


def register(table: Table) -> Table:
    assert table.name not in TABLES, f"two CSV tables named {table.name!r}"
    TABLES[table.name] = table
    return table


def cell(value: Any) -> Any:
    """One spreadsheet cell: text made safe from formula injection, the rest as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def render_csv(table: Table, collaboration: Collaboration) -> str:
    """The whole file as text, starting with the byte-order mark."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180 line ends
    writer.writerow([str(column.header) for column in table.columns])
    for row in table.rows(collaboration):
        writer.writerow([cell(column.value(row)) for column in table.columns])
    return out.getvalue()


def _label(choice_getter: str) -> Callable[[Any], str]:
    return lambda row: getattr(row, choice_getter)()


def _name(attribute: str) -> Callable[[Any], str]:
    def get(row):
        obj = row
        for part in attribute.split("."):
            obj = getattr(obj, part, None) if obj is not None else None
        return obj if obj is not None else ""

    return get


# --- The tables ------------------------------------------------------------------------------


def _partner_rows(collaboration: Collaboration):
    return Partner.objects.filter(collaboration=collaboration).prefetch_related(
        Prefetch(
            "members",
            queryset=Membership.objects.select_related("user").order_by("user__email"),
            to_attr="people",
        )
    )


def _people(partner: Partner) -> str:
    return "\n".join(f"{m.user.display_name} <{m.user.email}>" for m in partner.people)


register(
    Table(
        name="partners",
        title=_("Partners"),
        description=_(
            "Organisations, their sector and engagement, and the people who speak for them (with e-mail addresses)."
        ),
        need=Need.MANAGE,  # members' e-mail addresses: facilitators only
        rows=_partner_rows,
        columns=(
            Column(_("Organisation"), _name("name")),
            Column(_("Sector"), _label("get_sector_display")),
            Column(_("Engagement"), _label("get_engagement_display")),
            Column(_("Influence (1–5)"), _name("influence")),
            Column(_("Proximity (1–5)"), _name("proximity")),
            Column(_("Expertise"), _name("expertise")),
            Column(_("Resources"), _name("resources")),
            Column(_("People"), _people),
        ),
    )
)


register(
    Table(
        name="tasks",
        title=_("Tasks"),
        description=_("Every task with its activity, responsible partner, due date and status."),
        rows=lambda c: (
            Task.objects.filter(collaboration=c)
            .select_related("activity__goal", "responsible", "assignee")
            .order_by("due", "pk")
        ),
        columns=(
            Column(_("Task"), _name("title")),
            Column(_("Activity"), _name("activity.title")),
            Column(_("Goal"), _name("activity.goal.title")),
            Column(_("Responsible partner"), _name("responsible.name")),
            Column(_("Assignee"), lambda t: t.assignee.full_name if t.assignee else ""),
            Column(_("Due"), _name("due")),
            Column(_("Status"), _label("get_status_display")),
        ),
    )
)


register(
    Table(
        name="milestones",
        title=_("Milestones"),
        description=_(
            "Every milestone with its due date and state; late is derived from the date."
        ),
        rows=lambda c: (
            Milestone.objects.filter(collaboration=c)
            .select_related("activity__lead", "goal")
            .order_by("due", "pk")
        ),
        columns=(
            Column(_("Milestone"), _name("title")),
            Column(_("Activity"), _name("activity.title")),
            Column(_("Goal"), _name("goal.title")),
            Column(_("Lead partner"), _name("activity.lead.name")),
            Column(_("Due"), _name("due")),
            Column(_("State"), _name("state_label")),
            Column(_("Late"), _name("is_late")),
            Column(_("Achieved on"), _name("achieved_on")),
        ),
    )
)


def _indicator_rows(collaboration: Collaboration):
    """One row per measurement; an indicator without measurements still has one row."""
    indicators = (
        Indicator.objects.filter(collaboration=collaboration)
        .select_related("goal", "owner")
        .prefetch_related(
            Prefetch("measurements", queryset=Measurement.objects.order_by("measured_on"))
        )
    )
    for indicator in indicators:
        measurements = list(indicator.measurements.all()) or [None]
        for measurement in measurements:
            yield indicator, measurement


def _m(attribute: str):
    return lambda row: getattr(row[1], attribute) if row[1] is not None else ""


def _i(attribute: str):
    getter = _name(attribute)
    return lambda row: getter(row[0])


register(
    Table(
        name="indicators",
        title=_("Indicators and measurements"),
        description=_("One row per measurement, with the indicator's baseline and target."),
        rows=_indicator_rows,
        columns=(
            Column(_("Indicator"), _i("name")),
            Column(_("Goal"), _i("goal.title")),
            Column(_("Unit"), _i("unit")),
            Column(_("Baseline"), _i("baseline")),
            Column(_("Target"), _i("target")),
            Column(_("Target date"), _i("target_date")),
            Column(_("Owner"), _i("owner.name")),
            Column(_("Data source"), _i("data_source")),
            Column(_("Measured on"), _m("measured_on")),
            Column(_("Value"), _m("value")),
            Column(_("Note"), _m("note")),
        ),
    )
)


def _question_text(response) -> str:
    located = questions_by_key().get(response.proposal.question_key)
    return located[2].text if located else response.proposal.question_key


register(
    Table(
        name="proposal-responses",
        title=_("Responses to proposals"),
        description=_(
            "Every organisation's position on every round of every proposal, with its reason."
        ),
        rows=lambda c: (
            ProposalResponse.objects.filter(collaboration=c)
            .select_related("proposal", "partner", "author")
            .order_by("proposal__question_key", "proposal__round", "partner__name", "pk")
        ),
        columns=(
            Column(_("Question"), _question_text),
            Column(_("Round"), _name("proposal.round")),
            Column(_("Rule"), lambda r: r.proposal.get_rule_display()),
            Column(_("Opened"), _name("proposal.opened_at")),
            Column(_("Closes"), _name("proposal.closes_at")),
            Column(_("Closed"), _name("proposal.closed_at")),
            Column(_("Outcome"), lambda r: r.proposal.get_outcome_display() or _("open")),
            Column(_("Organisation"), _name("partner.name")),
            Column(_("Position"), _label("get_position_display")),
            Column(_("Reason"), _name("reason")),
            Column(_("Given by"), lambda r: r.author.display_name if r.author else ""),
            Column(_("Last changed"), _name("updated_at")),
        ),
    )
)
