"""The export button (导出Excel) and the template link (下载模板) of every list page."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join

from yuanjiang.interop import exporting

register = template.Library()


@register.simple_tag(takes_context=True)
def export_links(context):
    """导出Excel exports exactly what the list's current filters select (the same query string plus
    `export=xlsx`, without the page); 下载模板 and 导入 appear for a model that has a ledger."""
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
        try:
            links.append((reverse("interop:import", args=[ledger.kind]), "small", "导入Excel"))
        except NoReverseMatch:  # the import page is not installed
            pass
    return format_html(
        '<span class="export-links">{}</span>',
        format_html_join(
            " ", '<a class="{}" href="{}">{}</a>', ((cls, url, text) for url, cls, text in links)
        ),
    )
