"""Reading the change log back: what a create entry does not store.

A create entry stores neither values nor text (core.changelog): a record's values at creation are
its values now with every later update's `before` laid over them, newest first; for a record since
deleted, its delete entry's full snapshot takes the place of the values now. Its text is the
record's now, or the one its delete entry kept. `fill_created` does that for the create entries of a
page of history in a fixed number of queries: one for the later entries of all those records, and
per kind of record one for their current rows and one per relation their text reads
(`kernel.snapshot.prefetch`).
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from yuanjiang.kernel.hooks import CREATE, DELETE
from yuanjiang.kernel.snapshot import filled_values, prefetch, snapshot


def fill_created(entries):
    """Give each create entry the values its record was created with (those filled in: not empty, not
    the field's default) and its text, where they are not stored; in memory only. Returns the
    entries, as a list."""
    entries = list(entries)
    name_users(entries)
    wanted = [e for e in entries if e.action == CREATE and (e.after is None or not e.object_repr)]
    if not wanted:
        return entries
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
    texts: dict[tuple[int, str], str] = {}
    for type_id, ids in ids_by_type.items():
        model = models[type_id]
        if model is None:  # a model since removed from the code
            continue
        pks = [_pk(model, i) for i in ids]
        objs = list(model._base_manager.filter(pk__in=[p for p in pks if p is not None]).order_by())
        prefetch(model, objs)  # what their text reads
        for obj in objs:
            current[(type_id, str(obj.pk))] = snapshot(obj)
            texts[(type_id, str(obj.pk))] = str(obj)[:300]
    for e in wanted:
        key = (e.content_type_id, e.object_id)
        values = current.get(key)
        values = dict(values) if values is not None else None
        for pk, action, before in later.get(key, ()):
            if pk < e.pk:
                break
            if action == DELETE:
                values = dict(before)
            elif values is not None:
                values.update(before)
        model = models[e.content_type_id]
        if e.after is None:
            e.after = filled_values(model, values) if values is not None and model else {}
        if not e.object_repr:
            e.object_repr = texts.get(key) or deleted_as.get(key) or f"#{e.object_id}"
    return entries


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
