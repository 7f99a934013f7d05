"""The change log: every create, update and delete of a DomainModel, from any path (web, admin,
commands, services), recorded with actor, time, request id, before and after.

Who, when and from where are written once per request, command or import (a `ChangeSet`), not once
per entry: the entries of one context share it (`changeset_id`).

What an entry stores (the same rule on every path: signals, bulk writes, fixtures):
- create: no values and no text (its program and parent, for scoping and the history lookup). They
  are not lost: the values it was created with are its current values with every later update's
  `before` laid over them, or its delete entry's snapshot with the same, and its text is the
  record's (`core.history.fill`, what the history pages show);
- update: `before` holds the changed fields' old values (an update that changes nothing is not
  logged); no `after` and no text: the values right after it are the record's current values with
  every later entry's `before` laid over them, and its text is the text of the record with those
  values (`core.history.fill`);
- delete: `before` holds the full snapshot (what a restore by hand needs), and its text.

The change log subscribes to the write kernel (`kernel.hooks`, registered in `core.apps`): every
path — a save, a delete, `QuerySet.update()`, `bulk_create()`, `bulk_update()`, `QuerySet.delete()`
and its cascades, fixtures — reaches `before_write` / `after_write` as chunks, in the write's
transaction, so a row and its entry are committed together or not at all. A chunk's program,
change-log parent and text are resolved from relations loaded in a fixed number of queries
(`kernel.snapshot.prefetch`), never one query per record, and its entries are written in one statement.
"""

import contextlib
import contextvars
import json

from django.contrib.contenttypes.models import ContentType

from yuanjiang.core import context
from yuanjiang.kernel.hooks import CREATE, DELETE, UPDATE
from yuanjiang.kernel.snapshot import changes_only, fields_by_attname, json_value, prefetch, snapshot


def _program_id(instance):
    """The program id through the model's scope_path, reading only relations (no program row)."""
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

    from yuanjiang.core.models import SYSTEM_WRITING, ChangeSet

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
    token = SYSTEM_WRITING.set(True)
    try:
        changeset.save(using=using)
    finally:
        SYSTEM_WRITING.reset(token)
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
        if value is None:
            return None
        if ops.connection.vendor == "sqlite":  # stored as written: compact, Chinese as UTF-8 (3 bytes, not 6)
            return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
        return ops.adapt_json_value(value, DjangoJSONEncoder)  # PostgreSQL: jsonb, its own binary form

    rows = []
    for instance, action, before, after in changes:
        parent = getattr(instance, "changelog_parent", None)
        parent = parent() if callable(parent) else parent
        rows.append(
            (
                action,
                type_id(instance),
                str(instance.pk),
                str(instance)[:300] if action == DELETE else "",  # else read back (core.history)
                _program_id(instance),
                None if parent is None else type_id(parent),
                "" if parent is None else str(parent.pk),
                json_(before),
                json_(after) if action == CREATE else None,  # an update's: read back (core.history)
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


# -- the kernel's hooks ---------------------------------------------------------------------------
def _tracked(model) -> bool:
    return bool(getattr(model, "track_changes", False))


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
        by_model: dict = {}
        for change in pending:
            by_model.setdefault(type(change[0]), []).append(change[0])
        for model, instances in by_model.items():
            prefetch(model, instances)
        write(pending)
    finally:
        _raw_pending.reset(token)


def _update_entry(write_, obj):
    """An update's (obj, "update", before, after) of the fields it changed, or None."""
    old = write_.stored(obj)
    if not old:
        return None
    fields = fields_by_attname(type(obj))
    new = {name: json_value(getattr(obj, name), fields[name]) for name in old if name in fields}
    before, after = changes_only(old, new)
    return (obj, UPDATE, before, after) if after else None


def before_write(write_):
    """A delete's entries are resolved while its records still exist (full snapshots)."""
    if _tracked(write_.model) and write_.action == DELETE:
        prefetch(write_.model, write_.objs)
        write_.state["changelog"] = resolve(
            [(obj, DELETE, snapshot(obj), None) for obj in write_.objs], write_.using
        )


def after_write(write_):
    """One entry per record the write created, changed or deleted, in the write's transaction."""
    if not _tracked(write_.model):
        return
    if write_.action == DELETE:
        insert(write_.state.pop("changelog", []), write_.using)
        return
    if write_.action == CREATE:
        changes = [(obj, CREATE, None, None) for obj in write_.objs]
    else:
        changes = [c for c in (_update_entry(write_, obj) for obj in write_.objs) if c is not None]
    pending = _raw_pending.get() if write_.origin == "raw" else None
    if pending is not None:  # a fixture: logged once the whole of it is in
        pending.extend(changes)
        return
    if changes:
        prefetch(write_.model, [c[0] for c in changes])
        write(changes, write_.using)


def _refuse_forged(sender, instance, raw=False, **kwargs):
    from yuanjiang.core.models import AppendOnly

    if raw and issubclass(sender, AppendOnly):
        raise ChangeLogRefused("变更日志只能由系统在数据变更时写入，不能从数据文件（fixture）导入。")


def connect():
    from django.db.models.signals import pre_save

    from yuanjiang.kernel import hooks
    from yuanjiang.kernel.models import DomainModel

    hooks.register(DomainModel, before=before_write, after=after_write, order=1000)
    pre_save.connect(_refuse_forged, dispatch_uid="yj_changelog_refuse_forged")
