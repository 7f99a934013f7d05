"""Template helpers: figures (through common.formatting) and generic table cells."""

import datetime as dt
import functools
from decimal import Decimal

from django import template
from django.db import models
from django.urls import get_script_prefix, reverse
from django.utils.html import conditional_escape, escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from yuanjiang.common import formatting
from yuanjiang.common.fields import MoneyField

register = template.Library()

NO_VALUE_NOTE = "没有可计算的数据。"


def empty(note: str = ""):
    """— with a tooltip saying why there is no value."""
    return format_html('<span class="empty" title="{}">{}</span>', note or NO_VALUE_NOTE, formatting.EMPTY)


def _value_unit_note(value, unit):
    if hasattr(value, "metric") and hasattr(value, "value"):  # a metrics Figure
        return value.value, value.metric.unit, value.note
    return value, unit, ""


@register.filter
def figure(value, unit=""):
    """Exact (tables, detail pages): a Figure, or a value with its unit; None is — with its reason."""
    value, unit, note = _value_unit_note(value, unit)
    if value is None or value == "":
        return empty(note)
    return formatting.exact(value, unit)


@register.filter
def card(value, unit=""):
    """Honest, for figure cards and prose (近1.95亿元), the exact value on hover."""
    value, unit, note = _value_unit_note(value, unit)
    if value is None or value == "":
        return empty(note)
    return format_html(
        '<span title="精确值：{}">{}</span>', formatting.full(value, unit), formatting.honest(value, unit)
    )


@register.filter
def ledger(value, unit="元"):
    """A money cell of a column headed （万元）: 480.00, the exact amount in 元 on hover. A Figure in
    another unit is written exactly."""
    value, unit, note = _value_unit_note(value, unit)
    if value is None or value == "":
        return empty(note)
    if unit != "元":
        return formatting.exact(value, unit)
    return format_html('<span title="{}">{}</span>', formatting.full(value, "元"), formatting.ledger(value))


@register.filter
def column_header(label, unit=""):
    """A column header stating the unit of its cells: money (元) columns are in 万元."""
    return formatting.ledger_header(label) if unit == "元" else label


@register.filter
def money(value):
    return formatting.money(value)


@register.filter
def cn_date(value):
    return formatting.date(value)


@register.filter
def honest(value, unit=""):
    return formatting.honest(value, unit)


@functools.lru_cache(maxsize=1024)
def _records_path(code: str, prefix: str) -> str:
    return reverse("metrics:metric_records", args=[code])


@register.simple_tag
def metric_url(code, scope, period):
    """The records behind a figure. An organization's table links every cell (209 programs × 7): the
    path is reversed once per metric (and script prefix), not once per cell."""
    return (
        _records_path(code, get_script_prefix())
        + "?"
        + urlencode({**scope.query_param, "period": period.token})
    )


@register.simple_tag
def figure_cells(figures, period):
    """A table row's figures, each a `<td class="num">` linked to its records (metric_url) and written
    as `ledger` writes it: an organization's table has 209 programs × 7 cells, so a row is one tag
    and its query string is encoded once per scope, not once per cell."""
    prefix = get_script_prefix()
    queries: dict[int, str] = {}

    def query(scope) -> str:
        if id(scope) not in queries:
            queries[id(scope)] = escape(urlencode({**scope.query_param, "period": period.token}))
        return queries[id(scope)]

    # The same HTML format_html_join would build, escaping each query string once, not once per cell.
    return mark_safe(
        "".join(
            f'<td class="num"><a href="{escape(_records_path(f.code, prefix))}?{query(f.scope)}">'
            f"{conditional_escape(ledger(f))}</a></td>"
            for f in figures
        )
    )


def _field(obj, name):
    try:
        return obj._meta.get_field(name)
    except Exception:
        return None


def is_money(field) -> bool:
    return isinstance(field, MoneyField) or (
        isinstance(field, models.DecimalField) and "元" in str(field.verbose_name)
    )


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
    if is_money(field):
        return ledger(value)
    if isinstance(value, bool):  # a flag (龙头企业, 启动资金): 是 / 否, never True / False
        return "是" if value else "否"
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
def column_class(model, name):
    """The class of a column: num (right-aligned) for money, none otherwise."""
    return "num" if is_money(_field(model, name)) else ""


@register.simple_tag
def column_label(model, name):
    field = _field(model, name)
    if field is not None:
        return formatting.ledger_header(field.verbose_name) if is_money(field) else field.verbose_name
    cls = model if isinstance(model, type) else type(model)  # a record page passes the record
    attr = getattr(cls, name, None)
    attr = getattr(attr, "fget", attr)  # a property: its getter carries the label
    return getattr(attr, "short_description", name)


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some parameters replaced (pagination keeps the filters)."""
    params = context["request"].GET.copy()
    for k, v in kwargs.items():
        params[k] = v
    return params.urlencode()


@register.simple_tag(takes_context=True)
def with_period(context, period):
    """The current query string with `period` replaced (and paging reset): period links keep the scope."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    params["period"] = period.token
    return params.urlencode()


@register.simple_tag(takes_context=True)
def nav_entries(context, area="main"):
    """The header links the apps registered (common.navigation) that the user sees, in order."""
    from yuanjiang.common import navigation

    return navigation.entries(context["user"], context, area)
