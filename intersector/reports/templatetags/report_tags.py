"""Small lookups for report templates (no markup is produced here, nothing is marked safe)."""

from django import template

register = template.Library()


@register.filter
def for_tool(answers, tool):
    """``report.data.worksheets|for_tool:tool`` → that tool's ToolAnswers (or None)."""
    return (answers or {}).get(tool.slug)
