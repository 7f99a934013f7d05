"""`{% import_link model %}`: the list page's link to its ledger's import page, for users who may change some program."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from yuanjiang.accounts import scoping
from yuanjiang.interop import mapping

register = template.Library()


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
