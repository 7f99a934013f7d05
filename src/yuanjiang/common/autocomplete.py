"""Search-as-you-type for the long choice lists: programs, townships, enterprises.

At the national size a filter form listed 209 programs and 456 townships as <option>s (63 % of an
admin list page's time). `use_autocomplete(form, action)` gives such a field an `AutocompleteInput`
instead: a text box holding the value (a slug or an ID), which `yj/autocomplete.js` turns into a
search box backed by the scoped JSON endpoint `common:autocomplete` (at most `LIMIT` matches).
Without JavaScript the box still takes a typed value. The field itself is unchanged: its queryset
(scoped as before) validates what is posted, so a value outside the user's scope is refused with the
field's Chinese message, exactly as with a select.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from yuanjiang.accounts import scoping

LIMIT = 20


@dataclass(frozen=True)
class Kind:
    """What one endpoint kind searches: its scoped queryset, the fields a query matches and the
    value keys a widget may ask for (`pk`, or the field's `to_field_name`)."""

    model_path: str
    queryset: Callable[[object, str], QuerySet]
    search: tuple[str, ...]
    keys: tuple[str, ...] = ("pk",)


def _programs(user, action):
    return scoping.programs(user, action).select_related("provider").order_by("name", "pk")


def _townships(user, action):
    from yuanjiang.org.models import Region

    # The townships of the counties of the user's programs (as every township filter and form lists).
    return (
        Region.objects.filter(parent__programs__in=scoping.programs(user, action)).distinct().order_by("code")
    )


def _enterprises(user, action):
    from yuanjiang.investment.models import Enterprise

    return scoping.restrict(Enterprise.objects.all(), user, action).order_by("name", "pk")


KINDS = {
    "program": Kind("org.Program", _programs, ("name", "slug", "provider__name"), ("pk", "slug")),
    "township": Kind("org.Region", _townships, ("name", "code", "aliases")),
    "enterprise": Kind("investment.Enterprise", _enterprises, ("name",)),
}


def kind_of(name: str, field) -> str | None:
    """The endpoint kind of a single-choice model field, or None (left a select)."""
    if not isinstance(field, forms.ModelChoiceField) or isinstance(field, forms.ModelMultipleChoiceField):
        return None
    label = field.queryset.model._meta.label
    if label == "org.Program":
        return "program"
    if label == "org.Region" and name.endswith("township"):  # a county field stays a short select
        return "township"
    if label == "investment.Enterprise":
        return "enterprise"
    return None


class AutocompleteInput(forms.TextInput):
    """A text box holding the value; `data-autocomplete` names the endpoint, `data-label` the chosen
    record's name (one query, only when a value is set). The choices are never iterated."""

    def __init__(self, kind: str, action: str = scoping.VIEW, key: str = "pk", attrs=None):
        self.kind, self.action, self.key = kind, action, key
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        url = reverse("autocomplete", args=[self.kind])
        widget_attrs = context["widget"]["attrs"]
        widget_attrs.update(
            {
                "data-autocomplete": f"{url}?action={self.action}&key={self.key}",
                "autocomplete": "off",
                "placeholder": widget_attrs.get("placeholder") or "输入名称搜索",
            }
        )
        label = self._label(value)
        if label:
            widget_attrs["data-label"] = label
        return context

    def _label(self, value) -> str:
        if value in (None, ""):
            return ""
        choices = getattr(self, "choices", None)
        queryset = getattr(choices, "queryset", None)
        field = getattr(choices, "field", None)
        if queryset is None or field is None:
            return ""
        try:
            obj = queryset.filter(**{self.key: value}).first()
        except (ValueError, TypeError):
            return ""
        return field.label_from_instance(obj) if obj is not None else ""


def use_autocomplete(form, action: str = scoping.VIEW):
    """Give the form's program, township and enterprise fields the search box (not hidden or
    disabled ones). Validation and scoping stay the field's."""
    for name, field in form.fields.items():
        kind = kind_of(name, field)
        if kind is None or field.disabled or isinstance(field.widget, forms.HiddenInput):
            continue
        key = field.to_field_name or "pk"
        if key == field.queryset.model._meta.pk.name:  # a model form's foreign key: to_field_name "id"
            key = "pk"
        if key not in KINDS[kind].keys:
            continue
        widget = AutocompleteInput(kind, action, key, attrs=dict(field.widget.attrs))
        widget.is_required = field.widget.is_required
        widget.choices = field.choices  # the iterator: its queryset names the chosen record
        field.widget = widget
    return form


@require_GET
@login_required
def autocomplete(request, kind: str):
    """`?q=` → {"results": [{"id", "text"}]}, at most LIMIT, within the user's scope."""
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404("没有这种选项。")
    action = scoping.CHANGE if request.GET.get("action") == scoping.CHANGE else scoping.VIEW
    key = request.GET.get("key") or "pk"
    if key not in spec.keys:
        return JsonResponse(
            {"error": f"不支持按“{key}”取值。"}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    queryset = spec.queryset(request.user, action)
    text = (request.GET.get("q") or "").strip()[:100]
    if text:
        q = Q()
        for name in spec.search:
            q |= Q(**{f"{name}__icontains": text})
        queryset = queryset.filter(q)
    rows = list(queryset[:LIMIT])
    results = [{"id": str(getattr(obj, key)), "text": str(obj)} for obj in rows]
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
