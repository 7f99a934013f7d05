"""Closed periods are frozen on every write path.

A model whose records fall in a period declares `period_field` (the name of its date field). Once a
program's period is closed (`PeriodClose`), no record of that model dated in it can be created,
changed (nor moved into or out of it) or deleted:

- `save()` from anywhere (web forms, admin, commands, loaddata): the pre_save signal;
- `delete()`, `QuerySet.delete()` and cascades from a parent: the pre_delete signal (every
  DomainModel has delete signals connected, so Django never fast-deletes one);
- `QuerySet.update()`, `bulk_create()` and `bulk_update()`: `DomainQuerySet` calls `check_update` /
  `check_create` / `check_bulk_update`;
- forms: `DomainModel.full_clean()` calls `form_errors`, so a web or admin form shows the Chinese
  message on the date field instead of failing on save.

A model may also declare `period_dates` (AidProject's actual milestone dates): each of them, when
its old or new value lies in a closed period, cannot be set, changed or cleared, and a record with
such a date cannot be deleted; its other fields stay editable (a project started in a closed year
is completed in an open one).

Each check is one query (the active closes of the programs concerned), whatever the number of rows.
"""

import contextlib
import contextvars

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models.signals import pre_delete, pre_save


class PeriodClosedError(ValidationError):
    """A write into a closed period. A ValidationError, so forms and views show its message."""


def period_field(model) -> str | None:
    if not getattr(model, "scope_path", None) or model.scope_path == "self_program":
        return None
    return getattr(model, "period_field", None)


def _program_id(instance) -> int | None:
    """The program id of an (unsaved) instance through its scope_path, without loading the program."""
    parts = type(instance).scope_path.split("__")
    obj = instance
    for part in parts[:-1]:
        if getattr(obj, f"{part}_id", 1) is None:
            return None
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return getattr(obj, f"{parts[-1]}_id", None)


def _program_ids(model, objs) -> list[int | None]:
    """The program ids of many (unsaved) instances through scope_path: one query at most (the first
    relation's rows), never one per instance."""
    parts = model.scope_path.split("__")
    first = [getattr(obj, f"{parts[0]}_id", None) for obj in objs]
    if len(parts) == 1:
        return first
    related = model._meta.get_field(parts[0]).related_model
    ids = {pk for pk in first if pk is not None}
    found = (
        dict(related._base_manager.filter(pk__in=ids).order_by().values_list("pk", "__".join(parts[1:])))
        if ids
        else {}
    )
    return [found.get(pk) for pk in first]


def _date(model, name, value):
    """A date as given to a bulk write (a date, or its text), as the field stores it."""
    if value is None or hasattr(value, "resolve_expression"):
        return value
    return model._meta.get_field(name).to_python(value)


# Inside `batch()`, each set of programs' closes is read once: a ledger import validates thousands
# of rows of a few programs. The memo is a context variable, this thread's (this request's) alone.
_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("yj_guard_memo", default=None)


@contextlib.contextmanager
def batch():
    """Read the closes of each set of programs once inside the block (an import's preview and commit).
    A period closed by someone else meanwhile is still refused: the commit re-checks in its own
    transaction (interop.importing) and the database state is what the next write sees."""
    outer = _memo.get()
    token = _memo.set({} if outer is None else outer)
    try:
        yield
    finally:
        _memo.reset(token)


def _closes(program_ids) -> dict[int, list]:
    ids = frozenset(pid for pid in program_ids if pid is not None)
    if not ids:
        return {}
    memo = _memo.get()
    if memo is None:
        return _read_closes(ids)
    if ids not in memo:
        memo[ids] = _read_closes(ids)
    return memo[ids]


def _read_closes(ids) -> dict[int, list]:
    from yuanjiang.review.models import PeriodClose

    result: dict[int, list] = {}
    for close in PeriodClose.objects.active().filter(program_id__in=ids).select_related("closed_by"):
        result.setdefault(close.program_id, []).append(close)
    return result


def find(model, pairs) -> tuple | None:
    """The first (date, close) among (program id, date) pairs that falls in an active closed period."""
    pairs = [
        (pid, day)
        for pid, day in pairs
        if pid is not None and day is not None and not hasattr(day, "resolve_expression")
    ]
    if not pairs:
        return None
    closes = _closes(pid for pid, _ in pairs)
    for pid, day in pairs:
        for close in closes.get(pid, ()):
            if close.covers(day):
                return day, close
    return None


def message(model, day, close) -> str:
    who = f"{close.closed_by}于{close.closed_at:%Y-%m-%d}" if close.closed_by else ""
    return (
        f"{day:%Y-%m-%d}在已结账的期间{close.period_label}内（{who}结账），"
        f"不能新增、修改或删除该期间的{model._meta.verbose_name}。"
        "如需更正，请前方指挥部先重新开账并说明理由。"
    )


def check_pairs(model, pairs):
    hit = find(model, pairs)
    if hit is not None:
        raise PeriodClosedError(message(model, *hit), code="period_closed")


def period_dates(model) -> tuple[str, ...]:
    """Milestone dates (AidProject.actual_start ...): not the record's period, but each one, when it
    lies in a closed period, cannot be set, changed or cleared (the record's other fields can)."""
    if not getattr(model, "scope_path", None) or model.scope_path == "self_program":
        return ()
    return tuple(getattr(model, "period_dates", ()))


def _guarded(model) -> bool:
    return period_field(model) is not None or bool(period_dates(model))


def _date_message(model, name, day, close) -> str:
    label = model._meta.get_field(name).verbose_name
    return (
        f"{label}（{day:%Y-%m-%d}）在已结账的期间{close.period_label}内，不能再填写、修改或清除；"
        "如需更正，请前方指挥部先重新开账并说明理由。"
    )


def _check_dates(model, changes):
    """changes: (field, program id before, value before, program id after, value after) of changed dates."""
    pairs_by_field = [
        (name, [(p0, d0), (p1, d1)]) for name, p0, d0, p1, d1 in changes if d0 != d1 or p0 != p1
    ]
    if not pairs_by_field:
        return
    closes = _closes(pid for _, pairs in pairs_by_field for pid, _ in pairs)
    for name, pairs in pairs_by_field:
        for pid, day in pairs:
            if pid is None or day is None or hasattr(day, "resolve_expression"):
                continue
            for close in closes.get(pid, ()):
                if close.covers(day):
                    exc = PeriodClosedError(_date_message(model, name, day, close), code="period_closed")
                    exc.field = name
                    raise exc


def _stored_dates(model, queryset) -> list[tuple]:
    return list(queryset.order_by().values_list(model.scope_path, *period_dates(model)))


def check_dates_instance(instance, *, deleting=False):
    model = type(instance)
    fields = period_dates(model)
    if not fields:
        return
    stored = (
        _stored_dates(model, model._base_manager.filter(pk=instance.pk)) if instance.pk is not None else []
    )
    old_pid, old = (stored[0][0], stored[0][1:]) if stored else (None, (None,) * len(fields))
    if deleting:
        new_pid, new = old_pid, (None,) * len(fields)
    else:
        new_pid, new = _program_id(instance), tuple(getattr(instance, f) for f in fields)
    _check_dates(model, [(f, old_pid, o, new_pid, n) for f, o, n in zip(fields, old, new, strict=True)])


def _stored_pairs(model, queryset):
    field = period_field(model)
    return list(queryset.order_by().values_list(model.scope_path, field))


def check_instance(instance, *, deleting=False):
    """Refuse a save (its stored and its new date) or a delete (its stored date) in a closed period."""
    model = type(instance)
    check_dates_instance(instance, deleting=deleting)
    field = period_field(model)
    if field is None:
        return
    pairs = []
    if instance.pk is not None and not instance._state.adding:
        pairs += _stored_pairs(model, model._base_manager.filter(pk=instance.pk))
    elif instance.pk is not None:  # a pk given by hand (fixtures): maybe it exists
        pairs += _stored_pairs(model, model._base_manager.filter(pk=instance.pk))
    if not deleting or not pairs:
        pairs.append((_program_id(instance), getattr(instance, field)))
    check_pairs(model, pairs)


def check_update(queryset, changes: dict):
    """QuerySet.update(): the rows' stored dates, and the new date when the update sets it."""
    model = queryset.model
    changed_dates = [f for f in period_dates(model) if f in changes]
    if changed_dates:
        fields = period_dates(model)
        new = [_date(model, f, changes[f]) for f in changed_dates]
        if any(hasattr(v, "resolve_expression") for v in new):
            new = [None] * len(changed_dates)
        all_changes = []
        for row in _stored_dates(model, queryset):
            pid, values = row[0], dict(zip(fields, row[1:], strict=True))
            all_changes += [(f, pid, values[f], pid, n) for f, n in zip(changed_dates, new, strict=True)]
        _check_dates(model, all_changes)
    field = period_field(model)
    if field is None:
        return
    stored = _stored_pairs(model, queryset)
    pairs = list(stored)
    new_day = _date(model, field, changes.get(field))
    if hasattr(new_day, "resolve_expression"):
        new_day = None
    new_pid = _moved_to(model, changes)
    if new_pid is not None:  # moved to another parent: its program's closed periods count too
        pairs += [(new_pid, new_day or day) for _pid, day in stored]
    elif new_day is not None:
        pairs += [(pid, new_day) for pid, _ in stored]
    check_pairs(model, pairs)


def _moved_to(model, changes: dict) -> int | None:
    """The program an update() moves its rows to, when it sets their first scope relation."""
    field = model._meta.get_field(model.scope_path.split("__")[0])
    value = changes.get(field.name, changes.get(field.attname))
    if value is None or hasattr(value, "resolve_expression"):
        return None
    if isinstance(value, models.Model):
        value = value.pk
    holder = model(**{field.attname: value})
    return _program_ids(model, [holder])[0]


def check_delete(queryset):
    """QuerySet.delete(): the rows' stored dates."""
    model = queryset.model
    if period_dates(model):
        _check_dates(
            model,
            [
                (f, row[0], d, row[0], None)
                for row in _stored_dates(model, queryset)
                for f, d in zip(period_dates(model), row[1:], strict=True)
            ],
        )
    if period_field(queryset.model) is not None:
        check_pairs(queryset.model, _stored_pairs(queryset.model, queryset))


def check_create(model, objs):
    """bulk_create(): the new records' dates. At most three queries, whatever the number of records."""
    if not _guarded(model) or not objs:
        return
    pids = _program_ids(model, objs)
    dates = period_dates(model)
    if dates:
        _check_dates(
            model,
            [
                (f, pid, None, pid, _date(model, f, getattr(obj, f)))
                for obj, pid in zip(objs, pids, strict=True)
                for f in dates
            ],
        )
    field = period_field(model)
    if field is not None:
        check_pairs(
            model,
            [(pid, _date(model, field, getattr(obj, field))) for obj, pid in zip(objs, pids, strict=True)],
        )


def check_bulk_update(model, objs, fields):
    """bulk_update(): the rows' stored dates, and their new dates (and programs) where the update sets
    them. At most four queries, whatever the number of records."""
    if not _guarded(model) or not objs:
        return
    field = period_field(model)
    dates = period_dates(model)
    names = {model._meta.get_field(name).name for name in fields}  # "project_id" is "project"
    moves = model.scope_path.split("__")[0] in names
    stored = {
        row[0]: row[1:]
        for row in model._base_manager.filter(pk__in=[obj.pk for obj in objs])
        .order_by()
        .values_list("pk", model.scope_path, *([field] if field else []), *dates)
    }
    objs = [obj for obj in objs if obj.pk in stored]
    new_pids = _program_ids(model, objs) if moves else [stored[obj.pk][0] for obj in objs]
    if dates:
        changes = []
        for obj, new_pid in zip(objs, new_pids, strict=True):
            row = stored[obj.pk]
            old = dict(zip(dates, row[2:] if field else row[1:], strict=True))
            for f in dates:
                if f in names or moves:
                    new = _date(model, f, getattr(obj, f)) if f in names else old[f]
                    changes.append((f, row[0], old[f], new_pid, new))
        _check_dates(model, changes)
    if field is not None:
        pairs = [(row[0], row[1]) for row in stored.values()]
        if field in names or moves:
            pairs += [
                (pid, _date(model, field, getattr(obj, field)) if field in names else stored[obj.pk][1])
                for obj, pid in zip(objs, new_pids, strict=True)
            ]
        check_pairs(model, pairs)


def form_errors(instance, exclude=()) -> dict | None:
    """For full_clean(): the message keyed by the date field (or the form as a whole)."""
    if not _guarded(type(instance)):
        return None
    try:
        check_instance(instance)
    except PeriodClosedError as exc:
        field = getattr(exc, "field", None) or period_field(type(instance))
        key = field if field not in (exclude or ()) else NON_FIELD_ERRORS
        return {key: exc.messages}
    return None


def _on_pre_save(sender, instance, raw=False, **kwargs):
    if _guarded(sender):
        check_instance(instance)


def _on_pre_delete(sender, instance, **kwargs):
    from yuanjiang.core import changelog

    if _guarded(sender) and not changelog.batch_deleting():  # QuerySet.delete() checked them at once
        check_instance(instance, deleting=True)


def connect():
    pre_save.connect(_on_pre_save, dispatch_uid="yj_period_guard_save")
    pre_delete.connect(_on_pre_delete, dispatch_uid="yj_period_guard_delete")
