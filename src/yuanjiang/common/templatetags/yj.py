"""Template helpers: figures (through common.formatting) and generic table cells."""

import datetime as dt
from decimal import Decimal

from django import template
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from yuanjiang.common import formatting

register = template.Library()


@register.filter
def figure(value, unit=""):
    return formatting.exact(value, unit)


@register.filter
def money(value):
    return formatting.money(value)


@register.filter
def cn_date(value):
    return formatting.date(value)


@register.filter
def honest(value, unit=""):
    return formatting.honest(value, unit)


@register.simple_tag
def metric_url(code, scope, period):
    return (
        reverse("metrics:metric_records", args=[code])
        + "?"
        + urlencode({**scope.query_param, "period": period.token})
    )


def _field(obj, name):
    try:
        return obj._meta.get_field(name)
    except Exception:
        return None


@register.simple_tag
def cell(obj, name):
    """One table cell: choice labels, money in 元 (exact), dates, related objects, the name as a link."""
    field = _field(obj, name)
    if field is not None and getattr(field, "choices", None):
        value = getattr(obj, f"get_{name}_display")()
    else:
        value = getattr(obj, name, "")
        if callable(value) and not isinstance(value, models.Model):
            value = value()
    if isinstance(field, models.DecimalField) and "元" in str(field.verbose_name):
        return formatting.money(value)
    if hasattr(value, "label") and hasattr(value, "value"):  # a TextChoices member
        return value.label
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if value is None or value == "":
        return "—"
    if name in ("name", "__str__") and hasattr(obj, "get_absolute_url"):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), value)
    if isinstance(value, models.Model) and hasattr(value, "get_absolute_url"):
        return format_html('<a href="{}">{}</a>', value.get_absolute_url(), value)
    return value


@register.simple_tag
def column_label(model, name):
    field = _field(model, name)
    if field is not None:
        return field.verbose_name
    attr = getattr(model, name, None)
    attr = getattr(attr, "fget", attr)  # a property: its getter carries the label
    return getattr(attr, "short_description", name)


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some parameters replaced (pagination keeps the filters)."""
    params = context["request"].GET.copy()
    for k, v in kwargs.items():
        params[k] = v
    return params.urlencode()
