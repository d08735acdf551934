from django import template
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def ago(value) -> str:
    """'3 days ago': the largest unit only, for tables where width is short."""
    if not value:
        return ""
    return _("%(time)s ago") % {"time": timesince(value, depth=1)}
