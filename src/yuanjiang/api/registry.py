"""Which record types the API serves, from the apps' own declarations — not a hand list.

A model gets its endpoint because it has a generic list page (`common.views.ObjectListView`, the mark
`lists_domain_records`): the list page's FilterSet filters the API's list the same way; a record type
with a declared Excel ledger (its app's `ledgers.py`, interop.mapping) but no list page of its own (a
project's outputs) is served too, filtered by its fields. Adding a record type by the add-a-model checklist (a model, its
FilterSet, its list page) adds its endpoint, its schema and its rows in the scoping matrix test."""

import importlib
from dataclasses import dataclass
from functools import cache

from django.apps import apps

from yuanjiang.kernel.models import DomainModel


@dataclass(frozen=True)
class Endpoint:
    model: type
    filterset_class: type | None

    @property
    def prefix(self) -> str:
        """URL prefix under /api/v1/: "projects/aidproject"."""
        return f"{self.model._meta.app_label}/{self.model._meta.model_name}"

    @property
    def basename(self) -> str:
        return f"{self.model._meta.app_label}-{self.model._meta.model_name}"


@cache
def endpoints() -> tuple[Endpoint, ...]:
    found: dict[type, Endpoint] = {}

    def walk(patterns):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns)
                continue
            view = getattr(p.callback, "view_class", None)
            if not (view and getattr(view, "lists_domain_records", False)):
                continue
            model = getattr(view, "model", None)
            if not (model and issubclass(model, DomainModel)) or model in found:
                continue
            if not (getattr(model, "shared", False) or getattr(model, "scope_path", None)):
                continue
            if getattr(model, "scope_path", None) == "self_program":
                continue
            found[model] = Endpoint(model, getattr(view, "filterset_class", None))

    # Each app's own URLconf (not the root's, which includes this API's routes being built).
    for app in apps.get_app_configs():
        if not app.name.startswith("yuanjiang.") or app.name == "yuanjiang.api":
            continue
        try:
            module = importlib.import_module(f"{app.name}.urls")
        except ModuleNotFoundError:
            continue
        walk(getattr(module, "urlpatterns", []))
    # The record types the Excel layer declares a ledger for (a project's outputs) are records too.
    from yuanjiang.interop import mapping

    for ledger in mapping.ledgers():
        model = ledger.model
        if not ledger.declared:  # a derived ledger's model has its list page
            continue
        if model not in found and getattr(model, "scope_path", None) not in (None, "self_program"):
            found[model] = Endpoint(model, None)
    return tuple(sorted(found.values(), key=lambda e: e.prefix))
