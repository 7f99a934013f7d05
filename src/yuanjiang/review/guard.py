"""Closed periods are frozen on every write path.

A model whose records fall in a period declares `period_field` (the name of its date field). Once a
program's period is closed (`PeriodClose`), no record of that model dated in it can be created,
changed (nor moved into or out of it) or deleted:

- `save()` from anywhere (web forms, admin, commands, loaddata): the pre_save signal;
- `delete()`, `QuerySet.delete()` and cascades from a parent: the pre_delete signal (every
  DomainModel has delete signals connected, so Django never fast-deletes one);
- `QuerySet.update()` and `bulk_create()`: `DomainQuerySet` calls `check_update` / `check_pairs`;
- forms: `DomainModel.full_clean()` calls `form_errors`, so a web or admin form shows the Chinese
  message on the date field instead of failing on save.

Each check is one query (the active closes of the programs concerned), whatever the number of rows.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
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


def _closes(program_ids) -> dict[int, list]:
    from yuanjiang.review.models import PeriodClose

    ids = {pid for pid in program_ids if pid is not None}
    if not ids:
        return {}
    result: dict[int, list] = {}
    for close in PeriodClose.objects.active().filter(program_id__in=ids).select_related("closed_by"):
        result.setdefault(close.program_id, []).append(close)
    return result


def find(model, pairs) -> tuple | None:
    """The first (date, close) among (program id, date) pairs that falls in an active closed period."""
    pairs = [(pid, day) for pid, day in pairs if pid is not None and day is not None]
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


def _stored_pairs(model, queryset):
    field = period_field(model)
    return list(queryset.order_by().values_list(model.scope_path, field))


def check_instance(instance, *, deleting=False):
    """Refuse a save (its stored and its new date) or a delete (its stored date) in a closed period."""
    model = type(instance)
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
    field = period_field(model)
    if field is None:
        return
    stored = _stored_pairs(model, queryset)
    pairs = list(stored)
    new_day = changes.get(field)
    if new_day is not None and not hasattr(new_day, "resolve_expression"):
        pairs += [(pid, new_day) for pid, _ in stored]
    check_pairs(model, pairs)


def check_delete(queryset):
    """QuerySet.delete(): the rows' stored dates."""
    if period_field(queryset.model) is not None:
        check_pairs(queryset.model, _stored_pairs(queryset.model, queryset))


def check_create(model, objs):
    if period_field(model) is None:
        return
    check_pairs(model, [(_program_id(obj), getattr(obj, model.period_field)) for obj in objs])


def form_errors(instance, exclude=()) -> dict | None:
    """For full_clean(): the message keyed by the date field (or the form as a whole)."""
    field = period_field(type(instance))
    if field is None:
        return None
    try:
        check_instance(instance)
    except PeriodClosedError as exc:
        key = field if field not in (exclude or ()) else NON_FIELD_ERRORS
        return {key: exc.messages}
    return None


def _on_pre_save(sender, instance, raw=False, **kwargs):
    if period_field(sender) is not None:
        check_instance(instance)


def _on_pre_delete(sender, instance, **kwargs):
    if period_field(sender) is not None:
        check_instance(instance, deleting=True)


def connect():
    pre_save.connect(_on_pre_save, dispatch_uid="yj_period_guard_save")
    pre_delete.connect(_on_pre_delete, dispatch_uid="yj_period_guard_delete")
