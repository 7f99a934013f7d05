"""Migrations carry the schema, not the words: a field's `choices`, `help_text` and `verbose_name`
are left out of what `makemigrations` compares and writes (NetBox does the same). Changing a label, a
help text or the list of choices of a CharField changes no table, so it needs no migration.

Installed once, when the kernel app is ready (before any management command runs), for every field
of every app — the migration state and the models are compared with the same rule. Migrations
written before this still carry those keywords; they are harmless there.
"""

from django.db import models

EXEMPT_ATTRS = ("choices", "help_text", "verbose_name")

_deconstruct = models.Field.deconstruct


def deconstruct(field):
    name, path, args, kwargs = _deconstruct(field)
    for attr in EXEMPT_ATTRS:
        kwargs.pop(attr, None)
    return name, path, args, kwargs


def install():
    if models.Field.deconstruct is not deconstruct:
        models.Field.deconstruct = deconstruct
