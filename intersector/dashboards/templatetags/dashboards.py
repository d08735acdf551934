"""Small pieces the dashboards repeat dozens of times per page, as tags rather than
includes (an include per table row is the slowest part of rendering a 50-partner page)."""

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def ago(value) -> str:
    """'3 days ago': the largest unit only, for tables where width is short."""
    if not value:
        return ""
    return _("%(time)s ago") % {"time": timesince(value, depth=1)}


@register.filter
def when(value) -> str:
    """A <time> element saying how long ago, with the exact moment as its title; or a dash."""
    if not value:
        return "—"
    local = timezone.localtime(value)
    return format_html(
        '<time class="when" datetime="{}" title="{}">{}</time>',
        value.isoformat(),
        date_format(local, "j M Y, H:i"),
        ago(value),
    )


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
        '<svg class="bar" viewBox="0 0 100 8" preserveAspectRatio="none" width="100%" '
        'height="8" role="img" focusable="false" xmlns="http://www.w3.org/2000/svg">'
        "<title>{}</title>"
        '<rect x="0" y="0" width="100" height="8" fill="#e9edf2"/>'
        '<rect x="0" y="0" width="{}" height="8" fill="#b9c8f2"/>'
        '<rect x="0" y="0" width="{}" height="8" fill="#15803d"/></svg>',
        label,
        _percent(answered, total),
        _percent(agreed, total),
    )
