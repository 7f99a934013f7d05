"""Base classes every domain model builds on: `DomainModel` and its queryset, whose every write
runs through the pipeline of `kernel.hooks` (before-hooks, the write, after-hooks; one transaction)."""

import contextlib
import contextvars
import datetime as dt
from collections import Counter

from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, ValidationError
from django.db import connections, models, router, transaction
from django.db.models import Case, ExpressionWrapper, F, When
from django.db.models.signals import class_prepared
from django.utils import timezone

from yuanjiang.kernel import hooks
from yuanjiang.kernel.hooks import CREATE, DELETE, UPDATE, Write
from yuanjiang.kernel.snapshot import BOOKKEEPING, CHUNK, json_value, loaded_snapshot, snapshot

# Texts without a declared max_length are bounded too (an 800 000-character text would be stored,
# and logged before and after, on every edit). Forms show the same limit (common.forms).
TEXT_MAX_LENGTH = 5000
# Dates of a program's records lie within its term, give or take this many years (plans made
# before the term, acceptance after it); year 1, 1900 or 9999 is a typing error.
DATE_WINDOW_YEARS = 5


def _chunks(items, size):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _plain(model, using) -> models.QuerySet:
    """Django's own queryset of the model: what the kernel reads and writes rows with, once its
    hooks have run (never the logged paths again)."""
    return models.QuerySet(model, using=using)


def _supports_lock(alias) -> bool:
    return connections[alias].features.has_select_for_update


# Inside the kernel's own delete, the records Django's collector deletes (cascades included) are
# already hooked by chunks: the per-record delete signals leave them alone (kernel.signals).
_deleting: contextvars.ContextVar[bool] = contextvars.ContextVar("yj_kernel_deleting", default=False)


@contextlib.contextmanager
def _collector_deleting():
    token = _deleting.set(True)
    try:
        yield
    finally:
        _deleting.reset(token)


def kernel_deleting() -> bool:
    return _deleting.get()


def _value(field, value):
    """A value given to update(), as the instance would hold it (a model instance → its key)."""
    if isinstance(value, models.Model):
        value = value.pk
    return field.to_python(value) if value is not None else None


def _write_touched(write: Write, names: set[str]):
    """Write the fields before-hooks set on records beyond what the write itself wrote: records given
    the same values (review's reset of a whole chunk) by one UPDATE … WHERE id IN (…), never a
    CASE over thousands of ids (which SQLite evaluates row by row)."""
    groups: dict[tuple, list] = {}
    for obj in write.objs:
        fields = sorted(write.touched.get(id(obj), set()) - names)
        if fields:
            values = tuple((name, getattr(obj, name)) for name in fields)
            try:
                hash(values)
            except TypeError:  # an unhashable value (a JSON field's dict): a group of its own
                values = (id(obj), values)
            groups.setdefault(values, []).append(obj)
    for values, objs in groups.items():
        pairs = values[1] if isinstance(values[0], int) else values
        _plain(write.model, write.using).filter(pk__in=[o.pk for o in objs]).update(**dict(pairs))


class DomainQuerySet(models.QuerySet):
    """Bulk writes through the kernel's pipeline: hooked, by chunks of `CHUNK` rows, each in a fixed
    number of queries whatever its size, with memory bounded by the chunk. `update()` and
    `bulk_update()` bump each changed row's `version`, so a form loaded before them gets the
    conflict message."""

    def update(self, **kwargs):
        model = self.model
        db = self.db
        names = {f.name for f in model._meta.concrete_fields}
        with transaction.atomic(using=db):
            if "updated_at" not in kwargs and "updated_at" in names:
                kwargs["updated_at"] = timezone.now()
            if "version" not in kwargs and "version" in names:
                kwargs["version"] = F("version") + 1
            given = {model._meta.get_field(name): value for name, value in kwargs.items()}  # name or attname
            fields = list(given)
            plain = {
                f.attname: _value(f, v) for f, v in given.items() if not hasattr(v, "resolve_expression")
            }
            computed = [f for f in fields if f.attname not in plain]
            attnames = frozenset(f.attname for f in fields)
            compared = [f for f in fields if f.attname not in BOOKKEEPING]  # version, updated_at: no
            # The rows to update, in chunks of rows sharing parents (each parent loaded once).
            scope = getattr(model, "scope_path", None)
            group = None
            if scope and scope != "self_program":
                group = model._meta.get_field(scope.split("__")[0]).attname
            rows = self.select_for_update() if _supports_lock(db) else self
            if group:
                order = sorted(
                    (key is None, key or 0, pk)
                    for pk, key in rows.order_by().values_list("pk", group).iterator(CHUNK)
                )
                pks = [pk for _n, _k, pk in order]
            else:
                pks = sorted(rows.order_by().values_list("pk", flat=True).iterator(CHUNK))
            count = 0
            for chunk in _chunks(pks, CHUNK):
                # The rows (no ORDER BY join), with what the expressions given will make of them:
                # hooks see the values the rows will hold (the rows are locked until the write).
                new = {f"_yj_new_{f.attname}": ExpressionWrapper(given[f], output_field=f) for f in computed}
                objs = list(_plain(model, db).filter(pk__in=chunk).order_by().annotate(**new))
                before = {
                    obj.pk: {f.attname: json_value(f.value_from_object(obj), f) for f in compared}
                    for obj in objs
                }
                for obj in objs:
                    for attname, value in plain.items():
                        setattr(obj, attname, value)
                    for f in computed:
                        setattr(obj, f.attname, f.to_python(obj.__dict__.pop(f"_yj_new_{f.attname}")))
                write = Write(model, UPDATE, objs, db, "update", before, attnames)
                hooks.run_before(write)
                count += _plain(model, db).filter(pk__in=chunk).update(**kwargs)
                _write_touched(write, attnames)
                hooks.run_after(write)
        return count

    def bulk_create(
        self,
        objs,
        batch_size=None,
        ignore_conflicts=False,
        update_conflicts=False,
        update_fields=None,
        unique_fields=None,
    ):
        if ignore_conflicts or update_conflicts:
            raise NotImplementedError(
                "bulk_create(ignore_conflicts / update_conflicts) cannot tell which rows it wrote, so it "
                "cannot log them: check for existing rows first, then bulk_create and bulk_update."
            )
        objs = list(objs)
        with transaction.atomic(using=self.db):
            for chunk in _chunks(objs, CHUNK):
                write = Write(self.model, CREATE, chunk, self.db, "bulk_create")
                hooks.run_before(write)
                write.objs = super().bulk_create(chunk, batch_size=batch_size)
                hooks.run_after(write)
        return objs

    def delete(self):
        """Django's QuerySet.delete(), by chunks of `CHUNK` rows asked for, each with what it cascades
        to: the records Django's collector gathers are hooked per kind of record and chunk (before:
        they still exist; after: they are gone). One transaction; memory bounded by the chunk."""
        from django.db.models.deletion import Collector

        self._not_support_combined_queries("delete")
        if self.query.is_sliced:
            raise TypeError("Cannot use 'limit' or 'offset' with delete().")
        if self.query.distinct_fields or self.query.distinct:
            raise TypeError("Cannot call delete() after .distinct().")
        if self._fields is not None:
            raise TypeError("Cannot call delete() after .values() or .values_list()")
        db = self.db
        deleted, per_model = 0, Counter()
        with transaction.atomic(using=db):
            pks = list(self.order_by().values_list("pk", flat=True))
            for rows in _chunks(pks, CHUNK):
                collector = Collector(using=db, origin=self)
                collector.collect(_plain(self.model, db).filter(pk__in=rows).order_by())
                writes = []
                for model, instances in collector.data.items():
                    if not issubclass(model, DomainModel):
                        continue
                    for chunk in _chunks(list(instances), CHUNK):
                        write = Write(model, DELETE, chunk, db, "delete")
                        hooks.run_before(write)
                        writes.append(write)
                with _collector_deleting():
                    count, counts = collector.delete()
                for write in writes:
                    hooks.run_after(write)
                deleted += count
                per_model.update(counts)
        self._result_cache = None
        return deleted, dict(per_model)

    def bulk_update(self, objs, fields, batch_size=None):
        """Django's bulk_update through the pipeline: only the rows that really change are written
        (and hooked), each with `version` bumped and `updated_at` set. Returns the number of rows
        changed."""
        model = self.model
        db = self.db
        objs = list(objs)
        if not fields:
            raise ValueError("Field names must be given to bulk_update().")
        fields = [model._meta.get_field(name) for name in fields]
        if any(not f.concrete or f.many_to_many for f in fields):
            raise ValueError("bulk_update() can only be used with concrete fields.")
        if any(f.primary_key for f in fields):
            raise ValueError("bulk_update() cannot be used with primary key fields.")
        if any(obj.pk is None for obj in objs):
            raise ValueError("All bulk_update() objects must have a primary key set.")
        if not objs:
            return 0
        names = {f.name for f in model._meta.concrete_fields}
        bookkeeping = [name for name in ("version", "updated_at") if name in names]
        written = [f.name for f in fields if f.name not in bookkeeping]
        attnames = frozenset(f.attname for f in fields if f.name not in bookkeeping)
        now = timezone.now()
        total = 0
        with transaction.atomic(using=db):
            for chunk in _chunks(objs, CHUNK):
                rows = _plain(model, db).filter(pk__in=[obj.pk for obj in chunk])
                if _supports_lock(db):
                    rows = rows.select_for_update()
                extra = ["version"] if "version" in names else []
                read = [model._meta.get_field(a) for a in attnames]
                stored = {
                    pk: values
                    for pk, *values in rows.order_by().values_list("pk", *extra, *(f.attname for f in read))
                }
                before, versions = {}, {}
                for obj in chunk:
                    values = stored.get(obj.pk)
                    if values is None:  # no such row: Django's bulk_update skips it too
                        continue
                    if extra:
                        versions[obj.pk], values = values[0], values[1:]
                    before[obj.pk] = {f.attname: json_value(v, f) for f, v in zip(read, values, strict=True)}
                _resolve(model, db, [o for o in chunk if o.pk in before], read)
                for obj in chunk:  # values typed as text ("2024-01-01") compare as the field holds them
                    for f in read:
                        value = getattr(obj, f.attname)
                        if value is not None:
                            setattr(obj, f.attname, f.to_python(value))
                write = Write(
                    model, UPDATE, [o for o in chunk if o.pk in before], db, "bulk_update", before, attnames
                )
                write.objs = [
                    obj for obj in write.objs if write.changed(obj)
                ]  # unchanged rows stay as they are
                if not write.objs:
                    continue
                hooks.run_before(write)
                for obj in write.objs:
                    if obj.pk in versions:
                        obj.version = versions[obj.pk] + 1
                    if "updated_at" in names:
                        obj.updated_at = now
                touched = {model._meta.get_field(a).name for a in write.touched_fields()} - set(written)
                _plain(model, db).bulk_update(write.objs, written + bookkeeping, batch_size=batch_size)
                _write_touched(write, attnames)  # what hooks set: one UPDATE per set of values
                total += len(write.objs)
                hooks.run_after(write)
                for obj in write.objs:
                    loaded = getattr(obj, "_loaded_values", None)
                    if loaded is not None:  # a later save() compares against what is now stored
                        for name in [*written, *touched, *bookkeeping]:
                            attname = model._meta.get_field(name).attname
                            if attname in loaded:
                                loaded[attname] = getattr(obj, attname)
        return total


def _resolve(model, db, objs, fields):
    """Values given to bulk_update() as expressions (F("amount") + 5), replaced by what they make of
    each stored row (one query per such field, the rows locked by the caller): hooks and the write
    see values."""
    for f in fields:
        given = [
            (o, getattr(o, f.attname)) for o in objs if hasattr(getattr(o, f.attname), "resolve_expression")
        ]
        if not given:
            continue
        case = Case(*(When(pk=o.pk, then=value) for o, value in given), output_field=f)
        rows = _plain(model, db).filter(pk__in=[o.pk for o, _v in given]).order_by()
        done = dict(rows.annotate(yj_new=case).values_list("pk", "yj_new"))
        for o, _value in given:
            setattr(o, f.attname, f.to_python(done.get(o.pk)))


def _add_years(day: dt.date, years: int) -> dt.date:
    year = min(max(day.year + years, dt.MINYEAR), dt.MAXYEAR)
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def save_write(instance, using, update_fields=None, origin="save") -> Write:
    """The Write of one record's save: CREATE, or UPDATE with the values it was loaded with (or, for
    a record built by hand with an existing pk — fixtures — the stored ones: one query)."""
    model = type(instance)
    loaded = loaded_snapshot(instance)
    if instance.pk is not None and (instance._state.adding or loaded is None or origin == "raw"):
        stored = _plain(model, using).filter(pk=instance.pk).first()
        if stored is None:
            return Write(model, CREATE, [instance], using, origin)
        loaded = snapshot(stored)
    elif instance.pk is None or instance._state.adding:
        return Write(model, CREATE, [instance], using, origin)
    fields = None
    if update_fields is not None:
        fields = frozenset(model._meta.get_field(name).attname for name in update_fields)
    return Write(model, UPDATE, [instance], using, origin, {instance.pk: loaded}, fields)


def remember_loaded(instance):
    """After a write: what a later save of this instance compares against."""
    instance._loaded_values = {
        f.attname: f.value_from_object(instance) for f in instance._meta.concrete_fields
    }


class DomainModel(models.Model):
    """Domain data: timestamped, versioned (optimistic locking), every write through the kernel's
    pipeline (`kernel.hooks`: the change log, closed periods and every other rule subscribe there).

    `scope_path` is the ORM lookup from the model to its Program; scoping (accounts.scoping) uses it
    to restrict every queryset, form choice, export and metric to what a user may see.
    `period_field` names the date that puts a record in a period: records dated in a closed period
    (review.PeriodClose) cannot be created, changed or deleted (review.guard).
    """

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    scope_path: str | None = None
    # A shared reference record (an enterprise, a park …): no program; every signed-in user may read
    # it and whoever may edit some program (clerk, lead, admin) may edit it (accounts.scoping).
    shared: bool = False
    period_field: str | None = None
    track_changes = True
    # The columns of the model's tables (lists, the records behind a figure) and what they need joined.
    table_columns: tuple[str, ...] = ("__str__",)
    table_select_related: tuple[str, ...] = ()

    objects = DomainQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Every save of a loaded record bumps its version (the admin, commands, services alike), so
        # a form opened before it is refused as stale. save_versioned() bumps it itself, under a lock.
        loaded = getattr(self, "_loaded_values", None)
        if self.pk is not None and not self._state.adding and loaded and "version" in loaded:
            if self.version == loaded["version"]:
                self.version = (loaded["version"] or 0) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            write = save_write(self, using, kwargs.get("update_fields"))
            self._kernel_write = write  # the kernel's save signals leave this save alone
            try:
                hooks.run_before(write)
                touched = write.touched.get(id(self))
                if touched and kwargs.get("update_fields") is not None:
                    by_attname = {f.attname: f.name for f in self._meta.concrete_fields}
                    kwargs["update_fields"] = {*kwargs["update_fields"], *(by_attname[a] for a in touched)}
                super().save(*args, **kwargs)
                hooks.run_after(write)
            finally:
                del self._kernel_write
        remember_loaded(self)

    def delete(self, using=None, keep_parents=False):
        """A chunk of one through `DomainQuerySet.delete()`: the same hooks as any other delete."""
        if self.pk is None:
            raise ValueError(
                f"{self._meta.object_name} object can't be deleted because its "
                f"{self._meta.pk.attname} attribute is set to None."
            )
        using = using or router.db_for_write(type(self), instance=self)
        result = DomainQuerySet(type(self), using=using).filter(pk=self.pk).delete()
        setattr(self, self._meta.pk.attname, None)
        return result

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # What the next save compares against (no extra query).
        instance._loaded_values = dict(zip(field_names, values, strict=True))
        return instance

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True):
        errors: dict[str, list] = {}
        try:
            super().full_clean(exclude, validate_unique, validate_constraints)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for name, messages in self._plausibility_errors(exclude or ()).items():
            if name not in errors:
                errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    @classmethod
    def clean_batch(cls, objs) -> list[dict[str, str]]:
        """Rules that need to read other records (e.g. the sum of a project's disbursements), checked
        for many records at once in a fixed number of queries: one {field: message} per record, in
        order. Records later in `objs` see the earlier ones as written (an import's rows). `clean()`
        checks one record through it (`batch_errors`); the Excel import checks a whole sheet."""
        return [{} for _ in objs]

    def batch_errors(self) -> dict[str, str]:
        """This record's `clean_batch` errors, or none when its caller checks them for many records
        at once (it sets `_batch_checked`)."""
        if getattr(self, "_batch_checked", False):
            return {}
        return type(self).clean_batch([self])[0]

    def _plausibility_errors(self, exclude) -> dict[str, list[str]]:
        """Rules every domain model obeys: bounded texts, dates near the program's term; then the
        clean hooks (closed periods …) when those pass."""
        errors: dict[str, list[str]] = {}

        def add(name, message):
            key = name if name not in exclude else NON_FIELD_ERRORS
            errors.setdefault(key, []).append(message)

        for field in self._meta.concrete_fields:
            value = getattr(self, field.attname, None)
            if isinstance(field, models.TextField) and isinstance(value, str):
                limit = field.max_length or TEXT_MAX_LENGTH
                if len(value) > limit:
                    add(field.name, f"{field.verbose_name}不能超过{limit}个字（现有{len(value)}个字）。")
        window = self.date_window()
        if window is not None:
            low, high = window
            for field in self._meta.concrete_fields:
                if not isinstance(field, models.DateField) or isinstance(field, models.DateTimeField):
                    continue
                if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                    continue
                value = getattr(self, field.attname, None)
                if isinstance(value, dt.date) and not low <= value <= high:
                    add(
                        field.name,
                        f"{field.verbose_name}（{value:%Y-%m-%d}）不在合理范围内：应在"
                        f"{low:%Y-%m-%d}至{high:%Y-%m-%d}之间（任期前后{DATE_WINDOW_YEARS}年）。",
                    )
        if not errors:
            errors.update(hooks.clean_errors(self, exclude))
        return errors

    def date_window(self) -> tuple[dt.date, dt.date] | None:
        """The dates this record's date fields may take: its program's term ± DATE_WINDOW_YEARS."""
        if not self.scope_path or self.scope_path == "self_program":
            return None
        try:
            program = self.program_of()
        except Exception:  # an unsaved or missing parent: the field validation reports it
            return None
        if program is None or not program.term_start or not program.term_end:
            return None
        return _add_years(program.term_start, -DATE_WINDOW_YEARS), _add_years(
            program.term_end, DATE_WINDOW_YEARS
        )

    def program_of(self):
        """The Program this record belongs to (for the change log and scoping checks)."""
        obj = self
        if self.scope_path is None:
            return None
        for part in self.scope_path.split("__"):
            obj = getattr(obj, part, None)
            if obj is None:
                return None
        return obj


def _no_bypass(sender, **kwargs):
    """Every concrete domain model's managers are the kernel's: its default manager's queryset is a
    DomainQuerySet, and so is its base manager (`_base_manager.update()` is hooked too)."""
    opts = sender._meta
    if opts.abstract or not issubclass(sender, DomainModel):
        return
    manager = opts.default_manager
    if manager is None or not isinstance(manager.get_queryset(), DomainQuerySet):
        raise ImproperlyConfigured(
            f"{opts.label}: a DomainModel's default manager must return a DomainQuerySet "
            "(subclass kernel.models.DomainQuerySet), or its writes would bypass the kernel."
        )
    opts.base_manager_name = manager.name


class_prepared.connect(_no_bypass, dispatch_uid="yj_kernel_managers")
