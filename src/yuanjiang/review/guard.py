"""Closed periods are frozen on every write path.

A model whose records fall in a period declares `period_field` (the name of its date field). Once a
program's period is closed (`PeriodClose`), no record of that model dated in it can be created,
changed (nor moved into or out of it) or deleted:

- every write path reaches `before_write`, a hook of the write kernel (`kernel.hooks`, registered in
  `review.apps`): a save or delete from anywhere, `QuerySet.update()`, `bulk_create()`,
  `bulk_update()`, `QuerySet.delete()` and its cascades, fixtures;
- forms: the kernel's clean hook (`clean` → `form_errors`), so a web or admin form shows the Chinese
  message on the date field instead of failing on save.

`period_field` may reach through a relation (`report__report_date`: a progress report's photos are
frozen with it).

Beyond the records' own dates, the invariant itself is checked (`review.invariant`): a write that
would change any declared figure of a closed period is refused, whatever field it touches.

A model may also declare `period_dates` (AidProject's actual milestone dates): each of them, when
its old or new value lies in a closed period, cannot be set, changed or cleared, and a record with
such a date cannot be deleted; its other fields stay editable (a project started in a closed year
is completed in an open one).

Each check is one query (the active closes of the programs concerned), whatever the number of rows.
"""

import contextlib
import contextvars

from django.core.exceptions import NON_FIELD_ERRORS

from yuanjiang.review import invariant
from yuanjiang.review.errors import PeriodClosedError


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


def _field(model, path):
    """The field a path (`date`, or `report__report_date` through relations) ends on."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)


def _value(obj, path):
    """A record's value at a path (a photo's `report__report_date`); None when a relation is empty."""
    *relations, name = path.split("__")
    for relation in relations:
        obj = getattr(obj, relation, None)
        if obj is None:
            return None
    return getattr(obj, name)


def _date(model, name, value):
    """A date as given to a bulk write (a date, or its text), as the field stores it."""
    if value is None or hasattr(value, "resolve_expression"):
        return value
    return _field(model, name).to_python(value)


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
        pairs.append((_program_id(instance), _value(instance, field)))
    check_pairs(model, pairs)


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
            [(pid, _date(model, field, _value(obj, field))) for obj, pid in zip(objs, pids, strict=True)],
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
    # A date reached through a relation (a photo's report date) moves with that relation.
    field_moves = field is not None and field.split("__")[0] in names
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
        if field in names or moves or field_moves:
            pairs += [
                (
                    pid,
                    _date(model, field, _value(obj, field))
                    if field in names or field_moves
                    else stored[obj.pk][1],
                )
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


def before_write(write):
    """Kernel hook: refuse a write of records dated in a closed period, on every path; then keep the
    closed periods' figures the write could change (`review.invariant`)."""
    model = write.model
    if _guarded(model) and write.objs:
        if write.action == "create":
            check_create(model, write.objs)
        elif write.action == "delete":
            check_delete(model._base_manager.using(write.using).filter(pk__in=[o.pk for o in write.objs]))
        elif write.origin in ("save", "raw", "signal"):
            for obj in write.objs:
                check_instance(obj)
        else:
            check_bulk_update(
                model, write.objs, sorted((write.fields or frozenset()) | write.touched_fields())
            )
    invariant.before_write(write)


def clean(instance, exclude=()):
    """Kernel clean hook: the closed-period message on the form's date field."""
    return form_errors(instance, exclude)


def connect():
    from yuanjiang.kernel import hooks
    from yuanjiang.kernel.models import DomainModel

    hooks.register(DomainModel, before=before_write, after=invariant.after_write, clean=clean, order=10)
