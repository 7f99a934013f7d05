"""The change log: every create, update and delete of a DomainModel, from any path (web, admin,
commands, services), recorded with actor, time, request id, before and after.

Who, when and from where are written once per request, command or import (a `ChangeSet`), not once
per entry: the entries of one context share it (`changeset_id`).

What an entry stores (the same rule on every path: signals, bulk writes, fixtures):
- create: no values and no text (its program and parent, for scoping and the history lookup). They
  are not lost: the values it was created with are its current values with every later update's
  `before` laid over them, or its delete entry's snapshot with the same, and its text is the
  record's (`core.history.fill_created`, what the history pages show);
- update: `before` and `after` hold the changed fields only (an update that changes nothing is not
  logged);
- delete: `before` holds the full snapshot (what a restore by hand needs).

Bulk writes (`DomainQuerySet.update`, `bulk_create`, `bulk_update`) log through `write()`, which
resolves the program, the change-log parent and the text of a whole chunk of records from relations
loaded in a fixed number of queries (`prefetch` over `relation_paths`), never one query per record,
and writes the chunk's entries in one statement.

Signals are used here and only here: this is infrastructure, not business logic.
"""

import contextlib
import contextvars
import datetime
import decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from yuanjiang.core import context


def _json_value(value, field=None):
    if isinstance(value, decimal.Decimal):
        places = getattr(field, "decimal_places", None)
        if places is not None:  # the stored form, so "100" from a form equals "100.00" from the database
            value = value.quantize(decimal.Decimal(1).scaleb(-places))
        return format(value, "f")
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, FieldFile):  # an upload: its stored name
        return value.name or ""
    return value


def snapshot(instance) -> dict:
    """The stored values of a record, JSON-ready, keyed by attribute name (`township_id`, not `township`)."""
    return {f.attname: _json_value(f.value_from_object(instance), f) for f in instance._meta.concrete_fields}


# Fields every record has, logged nowhere: the id is the entry's object_id, the rest is bookkeeping.
BOOKKEEPING = frozenset({"created_at", "updated_at", "version"})
# Rows handled at once by the bulk paths: bounded memory, a fixed number of queries per chunk.
CHUNK = 2000


def _default(field):
    if not field.has_default() or callable(field.default):
        return _NO_DEFAULT
    return _json_value(field.default, field)


_NO_DEFAULT = object()


def filled_values(model, values: dict) -> dict:
    """Of a record's stored values (a snapshot), those filled in: not empty, not the field's default
    (what a new record's history lists)."""
    out = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.attname in BOOKKEEPING or f.attname not in values:
            continue
        value = values[f.attname]
        if value is None or value == "" or value == _default(f):
            continue
        out[f.attname] = value
    return out


def changes_only(before: dict, after: dict) -> tuple[dict, dict]:
    """An update entry's before and after: the changed fields only (bookkeeping aside)."""
    keys = [k for k in after if k not in BOOKKEEPING and before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _loaded_snapshot(instance) -> dict | None:
    loaded = getattr(instance, "_loaded_values", None)
    if loaded is None:
        return None
    fields = {f.attname: f for f in instance._meta.concrete_fields}
    return {
        k: _json_value(fields[k].to_python(v), fields[k]) if k in fields else v for k, v in loaded.items()
    }


def _program_id(instance):
    """The program id through the model's scope_path, reading only relations (no program row)."""
    if hasattr(instance, "_changelog_program"):  # resolved before a delete
        return getattr(instance._changelog_program, "pk", None)
    path = getattr(instance, "scope_path", None)
    if not path:
        return None
    if path == "self_program":
        return instance.pk
    parts = path.split("__")
    obj = instance
    for part in parts[:-1]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return getattr(obj, f"{parts[-1]}_id", None)


def relation_paths(model) -> list[str]:
    """The relations a record's program, change-log parent and text are read through: its scope_path
    up to the program, and its own foreign keys (what `__str__` and `changelog_parent` use). A model
    whose text reaches further declares `changelog_related` (more paths)."""
    paths = set(getattr(model, "changelog_related", ()))
    for f in model._meta.concrete_fields:
        if f.is_relation and (f.many_to_one or f.one_to_one):
            paths.add(f.name)
    scope = getattr(model, "scope_path", None)
    if scope and scope != "self_program":
        parts = scope.split("__")
        paths.update("__".join(parts[:i]) for i in range(1, len(parts)))
    # The longest paths suffice: prefetching "report__project" loads "report" too.
    return sorted(p for p in paths if not any(q.startswith(p + "__") for q in paths))


def prefetch(model, instances):
    """Load the relations `write()` reads, for many records at once: one query per relation (rows
    already loaded are kept; records sharing a parent share its instance)."""
    for path in relation_paths(model):
        objs = list(instances)
        for part in path.split("__"):
            if not objs:
                break
            field = type(objs[0])._meta.get_field(part)
            key = field.target_field.attname
            wanted = {getattr(o, field.attname) for o in objs if not field.is_cached(o)} - {None}
            if wanted:
                found = {
                    getattr(r, key): r
                    for r in field.related_model._base_manager.filter(**{f"{key}__in": wanted}).order_by()
                }
                for o in objs:
                    value = getattr(o, field.attname)
                    if not field.is_cached(o) and (value is None or value in found):
                        field.set_cached_value(o, found.get(value))
            nxt = {}
            for o in objs:
                related = field.get_cached_value(o, None)
                if related is not None:
                    nxt[id(related)] = related
            objs = list(nxt.values())


class _Cached:
    """The change set of a context on one connection, and whether it still exists: created inside a
    transaction, it is gone if that transaction (or the savepoint it was made in) rolls back. Django
    drops the on-commit callbacks registered inside a rolled-back savepoint or transaction, so the
    callback below is the witness: still pending, the row is there; run, the row is committed."""

    def __init__(self, ctx, pk, connection):
        self.ctx, self.pk, self.committed = ctx, pk, False
        connection.on_commit(self._commit)  # runs at once outside a transaction

    def _commit(self):
        self.committed = True

    def alive(self, connection) -> bool:
        return self.committed or any(
            func == self._commit for _sids, func, _robust in connection.run_on_commit
        )


def changeset_id(using: str = "default") -> int:
    """The id of the current context's change set (one per request, command or import), created with
    its first change. Changes made outside any context (`NOBODY`: no request id) get one each."""
    from django.db import connections
    from django.utils import timezone

    from yuanjiang.core.models import ChangeSet

    connection = connections[using]
    ctx = context.current()
    cached = getattr(connection, "_yj_changeset", None)
    if ctx.request_id and cached is not None and cached.ctx is ctx and cached.alive(connection):
        return cached.pk
    changeset = ChangeSet(
        time=timezone.now(),
        actor_id=ctx.actor_id,
        actor_name=ctx.actor_name,
        request_id=ctx.request_id,
        source=ctx.source,
    )
    changeset.save(using=using)
    if ctx.request_id:
        connection._yj_changeset = _Cached(ctx, changeset.pk, connection)
    return changeset.pk


_COLUMNS = (
    "changeset_id",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "program_id",
    "related_content_type_id",
    "related_object_id",
    "before",
    "after",
)


def resolve(changes, using: str = "default") -> list[tuple]:
    """The entries of (instance, action, before, after) of records whose relations are loaded
    (`prefetch`), as rows for `insert`: no query to resolve them. Before and after are stored as
    given. Resolved while the records still exist (a delete's rows: before Django clears their ids)."""
    from django.core.serializers.json import DjangoJSONEncoder
    from django.db import connections

    ops = connections[using].ops
    types: dict = {}

    def type_id(obj):
        cls = type(obj)
        if cls not in types:
            types[cls] = ContentType.objects.db_manager(using).get_for_model(obj).pk
        return types[cls]

    def json_(value):
        return None if value is None else ops.adapt_json_value(value, DjangoJSONEncoder)

    rows = []
    for instance, action, before, after in changes:
        parent = getattr(instance, "changelog_parent", None)
        parent = parent() if callable(parent) else parent
        rows.append(
            (
                action,
                type_id(instance),
                str(instance.pk),
                "" if action == "create" else str(instance)[:300],  # a create's text is the record's
                _program_id(instance),
                None if parent is None else type_id(parent),
                "" if parent is None else str(parent.pk),
                json_(before),
                json_(after),
            )
        )
    return rows


def insert(rows, using: str = "default") -> int:
    """Write resolved entries (`resolve`) in the current change set: one statement for all of them
    (executemany: no per-statement parameter limit). Returns the number of entries written."""
    from django.db import connections

    from yuanjiang.core.models import ObjectChange

    if not rows:
        return 0
    connection = connections[using]
    changeset = changeset_id(using)
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(ObjectChange._meta.db_table),
        ", ".join(qn(c) for c in _COLUMNS),
        ", ".join(["%s"] * len(_COLUMNS)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(changeset, *row) for row in rows])
    return len(rows)


def write(changes, using: str = "default") -> int:
    """Log (instance, action, before, after) of records whose relations are loaded (`prefetch`), in
    a fixed number of queries. Returns the number of entries written."""
    return insert(resolve(changes, using), using)


# -- deletes of many records ----------------------------------------------------------------------
# `DomainQuerySet.delete()` collects the records to delete (cascades included), loads their
# relations once and checks them at once; while Django's collector deletes them and sends a signal
# per record, the signals below only resolve each record's entry (no query), and the entries are
# written in one statement per chunk.
_batch_delete: contextvars.ContextVar[list | None] = contextvars.ContextVar("yj_batch_delete", default=None)


@contextlib.contextmanager
def batch_delete(using: str = "default"):
    """Inside the block, deleted records are logged together (their relations loaded beforehand)."""
    pending: list = []
    token = _batch_delete.set(pending)
    try:
        yield
        insert(pending, using)
    finally:
        _batch_delete.reset(token)


def batch_deleting() -> bool:
    """Whether deletes are being checked and logged together (`batch_delete`): per-record signal
    handlers leave them alone."""
    return _batch_delete.get() is not None


def _stored(instance, action, before, after):
    """What an entry keeps of full snapshots (module docstring); None: nothing to log."""
    if action == "update":
        before, after = changes_only(before or {}, after or {})
        return (before, after) if after else None
    if action == "create":
        return None, None
    return before, after


def record(instance, action: str, before: dict | None, after: dict | None):
    """Log one change, given full snapshots (the signal paths)."""
    kept = _stored(instance, action, before, after)
    if kept is not None:
        write([(instance, action, *kept)], instance._state.db or "default")


def record_many(changes: list[tuple[object, str, dict | None, dict | None]]):
    """Log many changes given full snapshots (fixtures): the storage rule applied, relations batched."""
    rows = []
    for instance, action, before, after in changes:
        kept = _stored(instance, action, before, after)
        if kept is not None:
            rows.append((instance, action, *kept))
    by_model: dict = {}
    for row in rows:
        by_model.setdefault(type(row[0]), []).append(row[0])
    for model, instances in by_model.items():
        prefetch(model, instances)
    write(rows)


def changed_fields(before: dict, after: dict) -> set[str]:
    """The fields whose stored value differs (bookkeeping fields aside)."""
    return {k for k in after if k not in {"updated_at", "version"} and before.get(k) != after.get(k)}


def _tracked(sender) -> bool:
    from yuanjiang.common.models import DomainModel

    return issubclass(sender, DomainModel) and getattr(sender, "track_changes", False)


# Raw saves (fixtures: `loaddata`) are logged too. While a fixture loads, related records may not
# be there yet, so its changes are collected and logged when the whole fixture is in (`raw_batch`).
_raw_pending: contextvars.ContextVar[list | None] = contextvars.ContextVar("yj_raw_pending", default=None)


class ChangeLogRefused(Exception):
    """A write that would bypass or forge the change log."""


@contextlib.contextmanager
def raw_batch():
    """Collect the raw saves made inside the block; log them all at its end (same transaction)."""
    pending: list = []
    token = _raw_pending.set(pending)
    try:
        yield
        record_many(pending)
    finally:
        _raw_pending.reset(token)


def _on_raw_save(sender, instance, created):
    before = getattr(instance, "_changelog_stored", None)
    change = (
        instance,
        "create" if created else "update",
        None if created else before or {},
        snapshot(instance),
    )
    pending = _raw_pending.get()
    if pending is not None:
        pending.append(change)
    else:
        record_many([change])


def _on_save(sender, instance, created, raw=False, **kwargs):
    if not _tracked(sender):
        return
    if raw:
        _on_raw_save(sender, instance, created)
        return
    after = snapshot(instance)
    if created:
        record(instance, "create", None, after)
    else:
        before = _loaded_snapshot(instance)
        if before is None:
            before = getattr(instance, "_changelog_stored", None) or {}
        if changed_fields(before, after):
            record(instance, "update", before, after)
    instance._loaded_values = {
        f.attname: f.value_from_object(instance) for f in instance._meta.concrete_fields
    }


def _on_pre_save(sender, instance, raw=False, **kwargs):
    from yuanjiang.core.models import ObjectChange

    if raw and issubclass(sender, ObjectChange):
        raise ChangeLogRefused("变更日志只能由系统在数据变更时写入，不能从数据文件（fixture）导入。")
    # A record saved without having been loaded (built by hand with a pk, or from a fixture): read
    # what is stored.
    if not _tracked(sender) or instance.pk is None or (not raw and hasattr(instance, "_loaded_values")):
        return
    stored = sender._base_manager.filter(pk=instance.pk).first()
    instance._changelog_stored = snapshot(stored) if stored is not None else None


def _on_pre_delete(sender, instance, **kwargs):
    if _tracked(sender) and not batch_deleting():
        # Resolve program and parent now: after the delete they may be gone too.
        instance._changelog_program = instance.program_of()


def _on_delete(sender, instance, **kwargs):
    if not _tracked(sender):
        return
    pending = _batch_delete.get()
    if pending is not None:
        pending += resolve([(instance, "delete", snapshot(instance), None)], instance._state.db or "default")
        return
    record(instance, "delete", snapshot(instance), None)
    instance.__dict__.pop("_changelog_program", None)


def connect():
    pre_save.connect(_on_pre_save, dispatch_uid="yj_changelog_pre_save")
    post_save.connect(_on_save, dispatch_uid="yj_changelog_save")
    pre_delete.connect(_on_pre_delete, dispatch_uid="yj_changelog_pre_delete")
    post_delete.connect(_on_delete, dispatch_uid="yj_changelog_delete")
