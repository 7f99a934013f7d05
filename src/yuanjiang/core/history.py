"""Reading the change log back: what create and update entries do not store.

What an entry stores (core.changelog): a create neither values nor text; an update the `before` of
the fields it changed, no `after` and no text; a delete the full row and its text. The rest is read
back from the records and the later entries, in memory, on every page that shows history:

- a record's values right after an entry are its values now with the `before` of every later entry
  of that record laid over them, newest first (for a record since deleted, its delete entry's full
  snapshot takes the place of the values now);
- a create's values are those (what it was created with), its text the record's text now (or the
  one its delete entry kept);
- an update's `after` is those values of the fields it changed, its text the record's text as of
  the change: the text (`__str__`) of the record with those values, its related records (the
  project in a fund transaction's text) as they are now. A record since deleted whose related
  records are gone too is named by the text its delete entry kept.

`fill` does that for a page of entries in a fixed number of queries: one for the later entries of all
those records, and per kind of record one for their current rows and one per relation their text reads
(`kernel.snapshot.prefetch`). Entries written before a field was dropped from storage keep what they
stored (a stored text or `after` is never replaced).

`text_search` finds entries by their record's text for the change stream's search: the stored text
(deletes, older entries) or the record's searchable fields now (the fields its list and admin search).
"""

import functools
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from yuanjiang.kernel.hooks import CREATE, DELETE, UPDATE
from yuanjiang.kernel.snapshot import fields_by_attname, filled_values, prefetch, snapshot


def fill(entries, creates: bool = True):
    """Give each create entry the values its record was created with (those filled in: not empty, not
    the field's default) and its text, and each update entry its `after` and its text, where they are
    not stored; in memory only. `creates=False`: updates only (the dashboard names a new record by
    its kind and number). Returns the entries, as a list."""
    entries = list(entries)
    wanted = [
        e
        for e in entries
        if (e.action == UPDATE or (creates and e.action == CREATE)) and (e.after is None or not e.object_repr)
    ]
    if wanted:
        _fill(wanted)
    name_users(entries)
    return entries


def _fill(wanted):
    log = type(wanted[0])._default_manager  # ObjectChange's (this module imports no model)
    ids_by_type: dict[int, set[str]] = defaultdict(set)
    for e in wanted:
        ids_by_type[e.content_type_id].add(e.object_id)
    q = Q()
    for type_id, ids in ids_by_type.items():
        q |= Q(content_type_id=type_id, object_id__in=sorted(ids))
    later: dict[tuple[int, str], list] = defaultdict(list)  # newest first
    deleted_as: dict[tuple[int, str], str] = {}
    for type_id, object_id, pk, action, before, text in (
        log.filter(q)
        .exclude(action=CREATE)
        .order_by("-id")
        .values_list("content_type_id", "object_id", "id", "action", "before", "object_repr")
    ):
        later[(type_id, object_id)].append((pk, action, before or {}))
        if action == DELETE:
            deleted_as.setdefault((type_id, object_id), text)
    # The content-type cache (no query, whether or not the entries joined their content type).
    models = {t: ContentType.objects.get_for_id(t).model_class() for t in ids_by_type}
    current: dict[tuple[int, str], dict] = {}
    texts_now: dict[tuple[int, str], str] = {}
    named_now = {e.content_type_id for e in wanted if e.action == CREATE and not e.object_repr}
    for type_id, ids in ids_by_type.items():
        model = models[type_id]
        if model is None:  # a model since removed from the code
            continue
        pks = [_pk(model, i) for i in ids]
        objs = list(model._base_manager.filter(pk__in=[p for p in pks if p is not None]).order_by())
        if type_id in named_now:
            prefetch(model, objs)  # what their text reads
        for obj in objs:
            current[(type_id, str(obj.pk))] = snapshot(obj)
            if type_id in named_now:
                texts_now[(type_id, str(obj.pk))] = str(obj)[:300]
    as_of: dict[int, list] = defaultdict(list)  # update entries to name, by kind: (entry, values)
    for e in wanted:
        key = (e.content_type_id, e.object_id)
        values = current.get(key)
        values = dict(values) if values is not None else None
        for pk, action, before in later.get(key, ()):
            if pk <= e.pk:
                break
            if action == DELETE:
                values = dict(before)
            elif values is not None:
                values.update(before)
        model = models[e.content_type_id]
        if e.action == CREATE:
            if e.after is None:
                e.after = filled_values(model, values) if values is not None and model else {}
            if not e.object_repr:
                e.object_repr = texts_now.get(key) or deleted_as.get(key) or f"#{e.object_id}"
            continue
        if e.after is None and values is not None:
            e.after = {k: values.get(k) for k in e.before or {}}
        if not e.object_repr:
            if values is None or model is None:
                e.object_repr = deleted_as.get(key) or f"#{e.object_id}"
            else:
                as_of[e.content_type_id].append((e, values))
    for type_id, pairs in as_of.items():
        model = models[type_id]
        records = [_record(model, values) for _e, values in pairs]
        prefetch(model, records)  # the relations their text reads, as they are now
        for (e, _values), record in zip(pairs, records, strict=True):
            key = (e.content_type_id, e.object_id)
            e.object_repr = _text(record) or deleted_as.get(key) or f"#{e.object_id}"


def text_search(text: str) -> Q:
    """The entries whose record's text contains `text`, as a filter of the change log: the text an
    entry stored (a delete's, or any entry written before updates stopped storing theirs), or the
    record's searchable fields now (those its list and admin search: `searchable_fields`), so that
    every entry of a matching record is found, its creates and updates too. One query in all."""
    from django.db.models import CharField
    from django.db.models.functions import Cast

    q = Q(object_repr__icontains=text)
    for model, fields in searchable_fields().items():
        matches = Q()
        for f in fields:
            matches |= Q(**{f"{f}__icontains": text})
        ids = model._base_manager.filter(matches).order_by().values_list(Cast("pk", CharField()))
        q |= Q(content_type_id=ContentType.objects.get_for_model(model).pk, object_id__in=ids)
    return q


@functools.cache
def searchable_fields() -> dict:
    """{model: its text fields} of every logged model: the fields its admin and its list filter set
    search (`search_fields`), else its own text columns. Built once."""
    import importlib
    import importlib.util

    from django.apps import apps
    from django.contrib import admin
    from django.db.models import CharField, TextField

    from yuanjiang.common.filters import RecordFilterSet

    by_model: dict = defaultdict(list)

    def walk(cls):
        for sub in cls.__subclasses__():
            model = getattr(getattr(sub, "_meta", None), "model", None)
            if model is not None:
                by_model[model] += [f for f in sub.search_fields if f not in by_model[model]]
            walk(sub)

    for app in apps.get_app_configs():  # every app's filter sets, whether or not its views are loaded
        if importlib.util.find_spec(f"{app.name}.filters") is not None:
            importlib.import_module(f"{app.name}.filters")
    walk(RecordFilterSet)
    out = {}
    for model in apps.get_models():
        if not getattr(model, "track_changes", False):
            continue
        registered = admin.site._registry.get(model)
        fields = list(by_model.get(model, ()))
        fields += [f for f in getattr(registered, "search_fields", ()) or () if f not in fields]
        if not fields:
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, CharField | TextField) and not f.choices
            ]
        if fields:
            out[model] = [f.lstrip("^=@") for f in fields]
    return out


def _record(model, values: dict):
    """An unsaved instance of `model` holding `values` (a snapshot: JSON-ready, by attribute name);
    a field the snapshot lacks (added since) keeps its default."""
    fields = fields_by_attname(model)
    names, row = [], []
    for attname, field in fields.items():
        names.append(attname)
        row.append(field.to_python(values[attname]) if attname in values else field.get_default())
    return model.from_db(None, names, row)


def _text(record) -> str:
    """The record's text, or "" when a relation it reads is gone (a record deleted with its parent)."""
    for field in record._meta.concrete_fields:  # prefetch caches every relation it finds
        if field.is_relation and getattr(record, field.attname) is not None and not field.is_cached(record):
            return ""
    try:
        return str(record)[:300]
    except Exception:  # a text reading what is no longer there
        return ""


def _pk(model, value: str):
    try:
        return model._meta.pk.to_python(value)
    except Exception:  # an id that is not this model's kind of key: no such row
        return None


def name_users(entries) -> None:
    """Give the entries the names of the users their values point to (审核人, 提交人, 结账人 …: stored
    as ids), for `ObjectChange.diff`: one query for the whole page, none when there are none."""
    from django.contrib.auth import get_user_model

    ids = set()
    for e in entries:
        for values in (e.before or {}, e.after or {}):
            for key, value in values.items():
                if key.endswith("_by_id") and isinstance(value, int):
                    ids.add(value)
    names = {}
    if ids:
        for pk, username, first, last in (
            get_user_model()
            .objects.filter(pk__in=ids)
            .values_list("pk", "username", "first_name", "last_name")
        ):
            names[pk] = f"{last}{first}".strip() or username
    for e in entries:
        e._user_names = names
