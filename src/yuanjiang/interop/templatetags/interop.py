"""The list pages' ledger links: `{% export_links %}` (导出Excel, 下载模板) on every list, and
`{% import_link model %}` (the ledger's import page) for users who may change some program."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from yuanjiang.accounts import scoping
from yuanjiang.interop import exporting, mapping

register = template.Library()


@register.simple_tag(takes_context=True)
def export_links(context):
    """导出Excel exports exactly what the list's current filters select (the same query string plus
    `export=xlsx`, without the page); 下载模板 appears for a model that has a ledger."""
    request = context.get("request")
    view = context.get("view")
    model = getattr(view, "model", None)
    if request is None or model is None:
        return ""
    params = request.GET.copy()
    params.pop("page", None)
    params[exporting.EXPORT_PARAM] = exporting.EXPORT_VALUE
    links = [(f"?{params.urlencode()}", "btn small secondary", "导出Excel")]
    ledger = exporting.ledger_for_model(model)
    if ledger is not None:
        links.append((reverse("interop:template", args=[ledger.kind]), "small", "下载模板"))
    return format_html(
        '<span class="export-links">{}</span>',
        format_html_join(
            " ", '<a class="{}" href="{}">{}</a>', ((cls, url, text) for url, cls, text in links)
        ),
    )


@register.simple_tag(takes_context=True)
def import_link(context, model):
    request = getattr(context, "request", None) or context.get("request")
    if model is not None and not isinstance(model, type):
        model = type(model)  # templates call a class they are given: an unsaved instance arrives
    ledger = mapping.ledger_for_model(model) if model is not None else None
    if request is None or ledger is None or not ledger.declared:
        return ""
    if context.get("can_create") is False and not scoping.programs(request.user, scoping.CHANGE).exists():
        return ""
    url = reverse("interop:import", kwargs={"kind": ledger.kind})
    return format_html('<a class="btn secondary small" href="{}">导入{}</a>', url, ledger.label)
