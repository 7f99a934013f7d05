"""The change log: every create, update and delete of a DomainModel, from any path (web, admin,
commands, services), recorded with actor, time, request id, before and after.

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


def _loaded_snapshot(instance) -> dict | None:
    loaded = getattr(instance, "_loaded_values", None)
    if loaded is None:
        return None
    fields = {f.attname: f for f in instance._meta.concrete_fields}
    return {
        k: _json_value(fields[k].to_python(v), fields[k]) if k in fields else v for k, v in loaded.items()
    }


def _related(instance):
    parent = getattr(instance, "changelog_parent", None)
    if parent is None:
        return None, ""
    obj = parent() if callable(parent) else parent
    if obj is None:
        return None, ""
    return ContentType.objects.get_for_model(obj), str(obj.pk)


def _entry(instance, action: str, before: dict | None, after: dict | None):
    from yuanjiang.core.models import ObjectChange

    ctx = context.current()
    program = instance.program_of() if hasattr(instance, "program_of") else None
    related_ct, related_id = _related(instance)
    return ObjectChange(
        actor_id=ctx.actor_id,
        actor_name=ctx.actor_name,
        request_id=ctx.request_id,
        source=ctx.source,
        action=action,
        content_type=ContentType.objects.get_for_model(instance),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        program_id=getattr(program, "pk", None),
        related_content_type=related_ct,
        related_object_id=related_id,
        before=before,
        after=after,
    )


def record(instance, action: str, before: dict | None, after: dict | None):
    _entry(instance, action, before, after).save()


def record_many(changes: list[tuple[object, str, dict | None, dict | None]]):
    """Log many changes in one insert (bulk writes: DomainQuerySet.update and bulk_create)."""
    from yuanjiang.core.models import ObjectChange

    entries = [
        _entry(*change) for change in changes if change[1] != "update" or changed_fields(change[2], change[3])
    ]
    ObjectChange.objects.bulk_create(entries)


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
    if _tracked(sender):
        # Resolve program and parent now: after the delete they may be gone too.
        instance._changelog_program = instance.program_of()


def _on_delete(sender, instance, **kwargs):
    if not _tracked(sender):
        return
    program = getattr(instance, "_changelog_program", None)
    instance.program_of = lambda: program
    record(instance, "delete", snapshot(instance), None)


def connect():
    pre_save.connect(_on_pre_save, dispatch_uid="yj_changelog_pre_save")
    post_save.connect(_on_save, dispatch_uid="yj_changelog_save")
    pre_delete.connect(_on_pre_delete, dispatch_uid="yj_changelog_pre_delete")
    post_delete.connect(_on_delete, dispatch_uid="yj_changelog_delete")
