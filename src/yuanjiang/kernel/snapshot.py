"""What a record holds, as the write pipeline's hooks and the change log compare it: stored values
as JSON-ready values keyed by attribute name, and the relations a chunk of records is read through."""

import datetime
import decimal
import functools

from django.db.models.fields.files import FieldFile

# Fields every record has, compared nowhere: the id is the entry's object_id, the rest is bookkeeping.
BOOKKEEPING = frozenset({"created_at", "updated_at", "version"})
# Rows handled at once by the bulk paths: bounded memory, a fixed number of queries per chunk.
CHUNK = 2000


@functools.cache
def fields_by_attname(model) -> dict:
    """{attname: field} of a model's concrete fields (built once per model)."""
    return {f.attname: f for f in model._meta.concrete_fields}


def json_value(value, field=None):
    """A stored value as the change log keeps it (Decimals at the field's places, dates in ISO form,
    an upload by its stored name)."""
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
    return {f.attname: json_value(f.value_from_object(instance), f) for f in instance._meta.concrete_fields}


def loaded_snapshot(instance) -> dict | None:
    """The values the instance was loaded with (`DomainModel.from_db`), as `snapshot` gives them; None
    for an instance not loaded from the database."""
    loaded = getattr(instance, "_loaded_values", None)
    if loaded is None:
        return None
    fields = fields_by_attname(type(instance))
    return {k: json_value(fields[k].to_python(v), fields[k]) if k in fields else v for k, v in loaded.items()}


def changes_only(before: dict, after: dict) -> tuple[dict, dict]:
    """An update's before and after: the changed fields only (bookkeeping aside)."""
    keys = [k for k in after if k not in BOOKKEEPING and before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def changed_fields(before: dict, after: dict) -> set[str]:
    """The fields whose stored value differs (bookkeeping fields aside)."""
    return {k for k in after if k not in BOOKKEEPING and before.get(k) != after.get(k)}


def _default(field):
    if not field.has_default() or callable(field.default):
        return _NO_DEFAULT
    return json_value(field.default, field)


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
    """Load the relations records are read through (`relation_paths`), for many records at once: one
    query per relation (rows already loaded are kept; records sharing a parent share its instance)."""
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
