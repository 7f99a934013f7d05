"""Hooks of the write pipeline: what features subscribe to, instead of overriding `save()`.

    # in an app's AppConfig.ready()
    from yuanjiang.kernel import hooks
    hooks.register(FundEntry, before=ledger.refuse_overdraft)

Every write of a `DomainModel` — one record saved or deleted, `QuerySet.update()`, `bulk_create()`,
`bulk_update()`, `QuerySet.delete()` and the records it cascades to, a raw save from a fixture —
reaches the hooks as chunks (`Write`: one model, one action, at most `snapshot.CHUNK` records), in
the write's transaction:

- `before(write)` runs before the rows are written (a delete's rows still exist). It refuses the
  write by raising (a `ValidationError` is shown to the user), or changes records: it sets their
  attributes and calls `write.touch(obj, "field", …)` so the kernel writes those fields too;
- `after(write)` runs once the rows are written (a delete's are gone): it records (the change log)
  or checks what the write did (raising rolls the whole write back);
- `clean(instance, exclude)` runs in `full_clean()` (forms, the admin, the import's preview) and
  returns {field: [messages]} or None: the same rule's message on the field, before any write.

A hook registered for a base class (DomainModel, Reviewable, FundEntry) runs for every subclass.
Hooks run in `order` (lower first; the change log is last, so it logs what the others left).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from yuanjiang.kernel.snapshot import BOOKKEEPING, fields_by_attname, json_value

CREATE, UPDATE, DELETE = "create", "update", "delete"


@dataclasses.dataclass(eq=False)
class Write:
    """One chunk of one write: `objs` of `model`, created, updated or deleted together."""

    model: type
    action: str  # CREATE, UPDATE or DELETE
    objs: list
    using: str = "default"
    # Which path wrote: "save", "delete", "update" (QuerySet.update), "bulk_create", "bulk_update",
    # "raw" (fixtures) or "signal" (a cascade from a model outside the kernel).
    origin: str = "save"
    # UPDATE: the stored values before the write, {pk: {attname: value as snapshot() gives it}}: all
    # fields for a save, the written ones for update() / bulk_update(). Other actions: None.
    before: dict | None = None
    # UPDATE: the attnames the write sets (None: every field, a plain save).
    fields: frozenset | None = None
    # What each hook keeps from before the write to after it, keyed by the hook's own name.
    state: dict = dataclasses.field(default_factory=dict)
    # Fields hooks set on records (id(obj) → attnames): written with the records.
    touched: dict = dataclasses.field(default_factory=dict)

    def stored(self, obj) -> dict:
        """The record's values before this write (UPDATE), {} otherwise."""
        return (self.before or {}).get(obj.pk, {})

    def changed(self, obj) -> set[str]:
        """The attnames an UPDATE changes on `obj` (bookkeeping aside; a value given as an expression
        counts as changed). For other actions, every field the record has."""
        fields = fields_by_attname(self.model)
        if self.action != UPDATE:
            return set(fields) - BOOKKEEPING
        old = self.stored(obj)
        names = old.keys() if self.fields is None else self.fields
        out = set()
        for name in names:
            if name in BOOKKEEPING or name not in fields:
                continue
            value = getattr(obj, name)
            if hasattr(value, "resolve_expression") or json_value(value, fields[name]) != old.get(name):
                out.add(name)
        return out | self.touched.get(id(obj), set())

    def set(self, obj, **values):
        """A before-hook's change of a record (attname=value …): set on `obj`, written with it, and its
        old values kept in `before` (the change log shows them)."""
        fields = fields_by_attname(self.model)
        if self.action == UPDATE:
            old = self.before.setdefault(obj.pk, {})
            for name in values:
                old.setdefault(name, json_value(fields[name].value_from_object(obj), fields[name]))
        for name, value in values.items():
            setattr(obj, name, value)
        self.touched.setdefault(id(obj), set()).update(values)

    def touched_fields(self) -> set[str]:
        return set().union(*self.touched.values()) if self.touched else set()


Hook = Callable[[Write], None]
_registered: list[tuple[int, int, type, str, Callable]] = []
_cache: dict[tuple[type, str], list[Callable]] = {}


def register(base: type, *, before: Hook | None = None, after: Hook | None = None, clean=None, order=100):
    """Subscribe to the writes of `base` and its subclasses (call from AppConfig.ready())."""
    for kind, fn in (("before", before), ("after", after), ("clean", clean)):
        if fn is None:
            continue
        key = (order, len(_registered), base, kind, fn)
        if any(r[2:] == key[2:] for r in _registered):
            continue  # ready() run twice (tests): subscribed once
        _registered.append(key)
    _registered.sort(key=lambda r: (r[0], r[1]))
    _cache.clear()


def hooks(model: type, kind: str) -> list[Callable]:
    key = (model, kind)
    if key not in _cache:
        _cache[key] = [fn for _o, _n, base, k, fn in _registered if k == kind and issubclass(model, base)]
    return _cache[key]


def run_before(write: Write):
    for fn in hooks(write.model, "before"):
        fn(write)


def run_after(write: Write):
    for fn in hooks(write.model, "after"):
        fn(write)


def clean_errors(instance, exclude=()) -> dict[str, list[str]]:
    """The clean hooks' messages for one record, {field: [messages]}."""
    errors: dict[str, list[str]] = {}
    for fn in hooks(type(instance), "clean"):
        for name, messages in (fn(instance, exclude) or {}).items():
            errors.setdefault(name, []).extend(messages)
    return errors
