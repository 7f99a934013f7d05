"""{{ name|definition_label }}: a report-card definition as users read it ("完整成绩单", not "default")."""

from django import template

from yuanjiang.reports import definition as defs

register = template.Library()


@register.filter
def definition_label(name: str) -> str:
    return defs.label_of(name or "")
