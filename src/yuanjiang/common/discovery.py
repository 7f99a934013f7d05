"""Declarations each app keeps in a module of its own (`metrics.py`, `warnings.py`):
one way to find them — every installed yuanjiang app's module of that name, in INSTALLED_APPS order."""

import importlib
from types import ModuleType

from django.apps import apps


def app_modules(name: str) -> list[ModuleType]:
    """Import and return `<app>.<name>` of every installed yuanjiang app that has one. A module that
    exists but fails to import raises (only a missing module is skipped)."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("yuanjiang."):
            continue
        try:
            found.append(importlib.import_module(f"{config.name}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{name}":
                raise
    return found
