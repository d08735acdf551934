"""Small pieces the dashboards repeat dozens of times per page, as tags rather than
includes (an include per table row is the slowest part of rendering a 50-partner page)."""

import datetime

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def ago(value) -> str:
    """'3 days ago': the largest unit only, for tables where width is short."""
    if not value:
        return ""
    return _("%(time)s ago") % {"time": timesince(value, depth=1)}


def _day(value: datetime.date) -> str:
    """'25 Nov 2026', as ``date:"j M Y"`` writes it, without its per-call parsing of the
    format (a dashboard writes a date per row)."""
    return f"{value.day} {MONTHS_3[value.month].title()} {value.year}"


@register.filter
def when(value) -> str:
    """A <time> element saying how long ago, with the exact moment as its title; or a dash."""
    if not value:
        return "—"
    local = timezone.localtime(value)
    exact = f"{_day(local)}, {local:%H:%M}"
    return mark_safe(  # noqa: S308 -- only the escaped translation is text
        f'<time class="when" datetime="{value.isoformat()}" title="{escape(exact)}">'
        f"{escape(ago(value))}</time>"
    )


@register.filter
def day(value) -> str:
    """A date as a <time> element ('25 Nov 2026'); or a dash."""
    if not value:
        return "—"
    return mark_safe(f'<time datetime="{value.isoformat()}">{escape(_day(value))}</time>')  # noqa: S308


@register.filter
def figure(value) -> str:
    """A decimal as ``floatformat:"-2"`` writes it (no decimals when whole, else two),
    without its per-call localisation machinery; or a dash."""
    if value is None:
        return "—"
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"


def _percent(part: int, total: int) -> int:
    return round(100 * part / total) if total else 0


@register.simple_tag
def progress_bar(answered: int, agreed: int, total: int) -> str:
    """Answered (light) and agreed (green) out of ``total`` as an SVG bar: presentation
    attributes only, role="img" and a <title> that says the numbers."""
    label = _("%(a)s of %(q)s questions answered, %(g)s agreed") % {
        "a": answered,
        "q": total,
        "g": agreed,
    }
    return format_html(
        '<svg class="bar" viewBox="0 0 100 8" preserveAspectRatio="none" role="img">'
        "<title>{}</title>"
        '<rect width="{}" height="8" fill="#b9c8f2"/><rect width="{}" height="8" fill="#15803d"/>'
        "</svg>",
        label,
        _percent(answered, total),
        _percent(agreed, total),
    )
