"""Base classes every domain model builds on."""

import datetime as dt
from collections import Counter

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import F

# Texts without a declared max_length are bounded too (an 800 000-character text would be stored,
# and logged before and after, on every edit). Forms show the same limit (common.forms).
TEXT_MAX_LENGTH = 5000
# Dates of a program's records lie within its term, give or take this many years (plans made
# before the term, acceptance after it); year 1, 1900 or 9999 is a typing error.
DATE_WINDOW_YEARS = 5


def _chunks(items, size):
    for i in range(0, len(items), size):
        yield items[i : i + size]


class DomainQuerySet(models.QuerySet):
    """Bulk writes that still reach the change log, bump versions and respect closed periods.

    `save()` and `delete()` are logged by signals; `update()`, `bulk_create()` and `bulk_update()`
    send no signals, so here they log each record themselves. They work in chunks of
    `changelog.CHUNK` rows, each in a fixed number of queries whatever its size (the records'
    programs, change-log parents and texts are read through relations loaded once per chunk), with
    memory bounded by the chunk. Every create, update and delete of domain data is thus recorded,
    whatever the path. `update()` and `bulk_update()` bump each changed row's `version`, so a form
    loaded before them gets the conflict message.
    """

    def _logged(self) -> bool:
        return bool(getattr(self.model, "track_changes", False))

    def update(self, **kwargs):
        from django.utils import timezone

        from yuanjiang.core import changelog
        from yuanjiang.review import guard

        model = self.model
        names = {f.name for f in model._meta.concrete_fields}
        with transaction.atomic(using=self.db):
            guard.check_update(self, kwargs)
            if "updated_at" not in kwargs and "updated_at" in names:
                kwargs["updated_at"] = timezone.now()
            if "version" not in kwargs and "version" in names:
                kwargs["version"] = F("version") + 1
            if not self._logged():
                return super().update(**kwargs)
            fields = [model._meta.get_field(name) for name in kwargs]
            fields = [f for f in fields if f.attname not in changelog.BOOKKEEPING]
            attnames = [f.attname for f in fields]
            # What the rows hold now, for the fields the update sets (one streamed query, locked),
            # and the parent each row hangs from: chunks of rows sharing parents load each parent once.
            scope = getattr(model, "scope_path", None)
            group = None
            if scope and scope != "self_program":
                group = model._meta.get_field(scope.split("__")[0]).attname
            extra = [group] if group and group not in attnames else []
            rows = self.select_for_update() if _supports_lock(self.db) else self
            before, order = {}, []
            for pk, *values in rows.order_by().values_list("pk", *extra, *attnames).iterator(changelog.CHUNK):
                key = values[attnames.index(group) if group in attnames else 0] if group else None
                values = values[len(extra) :]
                before[pk] = [changelog._json_value(v, f) for v, f in zip(values, fields, strict=True)]
                order.append((key is None, key or 0, pk))
            order.sort()
            count = super().update(**kwargs)
            for chunk in _chunks([pk for _n, _k, pk in order], changelog.CHUNK):
                objs = list(model._base_manager.filter(pk__in=chunk).order_by())  # no ORDER BY join
                changelog.prefetch(model, objs)
                changes = []
                for obj in objs:
                    old = before.pop(obj.pk)
                    b, a = {}, {}
                    for f, value in zip(fields, old, strict=True):
                        new = changelog._json_value(f.value_from_object(obj), f)
                        if new != value:
                            b[f.attname], a[f.attname] = value, new
                    if a:
                        changes.append((obj, "update", b, a))
                changelog.write(changes, using=self.db)
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
        from yuanjiang.core import changelog, maintenance
        from yuanjiang.review import guard

        if ignore_conflicts or update_conflicts:
            raise NotImplementedError(
                "bulk_create(ignore_conflicts / update_conflicts) cannot tell which rows it wrote, so it "
                "cannot log them: check for existing rows first, then bulk_create and bulk_update."
            )
        objs = list(objs)
        with transaction.atomic(using=self.db):
            for chunk in _chunks(objs, changelog.CHUNK):
                guard.check_create(self.model, chunk)
                created = super().bulk_create(chunk, batch_size=batch_size)
                maintenance.after_insert(self.model, self.db)  # statistics that still say "empty"
                if self._logged():
                    changelog.prefetch(self.model, created)
                    changelog.write(
                        [(obj, "create", None, None) for obj in created],
                        using=self.db,
                    )
        return objs

    def delete(self):
        """Django's QuerySet.delete(), checked and logged in a fixed number of queries per chunk of
        `changelog.CHUNK` rows and kind of record: the records it collects (cascades included) have
        their relations loaded once and their closed periods checked at once, and their delete
        entries (full snapshots) are written in one statement, while Django's collector deletes
        them. One transaction; memory bounded by the chunk."""
        from django.db.models.deletion import Collector

        from yuanjiang.core import changelog
        from yuanjiang.review import guard

        if not self._logged():
            guard.check_delete(self)  # before Django's collector (its pre_delete signal checks again)
            return super().delete()
        # The refusals of Django's QuerySet.delete(), then its collector, by chunks.
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
            # By chunks of the rows asked for, each with its cascade (the records checked below, the
            # rows asked for included): memory bounded by the chunk.
            pks = list(self.order_by().values_list("pk", flat=True))
            base = self.model._base_manager.using(db)
            for rows in _chunks(pks, changelog.CHUNK):
                collector = Collector(using=db, origin=self)
                collector.collect(base.filter(pk__in=rows).order_by())
                for model, instances in collector.data.items():
                    instances = list(instances)
                    for chunk in _chunks(instances, changelog.CHUNK):
                        guard.check_delete(
                            model._base_manager.using(db).filter(pk__in=[o.pk for o in chunk]).order_by()
                        )
                    if getattr(model, "track_changes", False):
                        changelog.prefetch(model, instances)
                with changelog.batch_delete(using=db):
                    count, counts = collector.delete()
                deleted += count
                per_model.update(counts)
        self._result_cache = None
        return deleted, dict(per_model)

    def bulk_update(self, objs, fields, batch_size=None):
        """Django's bulk_update, logged: closed periods checked, `version` bumped and `updated_at` set
        on the rows that really change, one update entry per such row (its changed fields).
        Returns the number of rows changed (rows that change nothing are not written)."""
        from django.utils import timezone

        from yuanjiang.core import changelog
        from yuanjiang.review import guard

        model = self.model
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
        logged = [f for f in fields if f.attname not in changelog.BOOKKEEPING]
        names = {f.name for f in model._meta.concrete_fields}
        written = [f.name for f in fields if f.name not in ("version", "updated_at")]
        written += [name for name in ("version", "updated_at") if name in names]
        now = timezone.now()
        total = 0
        with transaction.atomic(using=self.db):
            for chunk in _chunks(objs, changelog.CHUNK):
                guard.check_bulk_update(model, chunk, [f.name for f in fields])
                rows = model._base_manager.filter(pk__in=[obj.pk for obj in chunk])
                if _supports_lock(self.db):
                    rows = rows.select_for_update()
                extra = ["version"] if "version" in names else []
                stored = {
                    pk: values
                    for pk, *values in rows.order_by().values_list("pk", *extra, *(f.attname for f in logged))
                }
                changed, changes, computed = [], [], []
                for obj in chunk:
                    values = stored.get(obj.pk)
                    if values is None:  # no such row: Django's bulk_update skips it too
                        continue
                    version, values = (values[0], values[1:]) if extra else (None, values)
                    b, a = {}, {}
                    expression = False
                    for f, value in zip(logged, values, strict=True):
                        new = getattr(obj, f.attname)
                        if hasattr(new, "resolve_expression"):
                            expression = True
                            b[f.attname], a[f.attname] = changelog._json_value(value, f), None
                            continue
                        old, new = changelog._json_value(value, f), changelog._json_value(f.to_python(new), f)
                        if old != new:
                            b[f.attname], a[f.attname] = old, new
                    if not a:  # nothing changes: the row is left as it is
                        continue
                    if version is not None:
                        obj.version = version + 1
                    if "updated_at" in names:
                        obj.updated_at = now
                    changed.append(obj)
                    changes.append((obj, "update", b, a))
                    if expression:
                        computed.append(obj.pk)
                if not changed:
                    continue
                # Django's bulk_update writes through QuerySet.update(): the plain one, not ours (logged
                # here, once).
                models.QuerySet(model, using=self.db).bulk_update(changed, written, batch_size=batch_size)
                total += len(changed)
                if computed:  # values given as expressions: read what they became (one query)
                    done = {
                        pk: values
                        for pk, *values in model._base_manager.filter(pk__in=computed).values_list(
                            "pk", *(f.attname for f in logged)
                        )
                    }
                    for _obj, _action, _b, a in changes:
                        for f, value in zip(logged, done.get(_obj.pk, ()), strict=False):
                            if hasattr(getattr(_obj, f.attname), "resolve_expression"):
                                setattr(_obj, f.attname, value)  # the value, as save() would leave it
                                a[f.attname] = changelog._json_value(value, f)
                    for _obj, _action, b, a in changes:
                        for key in [k for k in a if a[k] == b[k]]:
                            del a[key], b[key]
                for obj in changed:
                    loaded = getattr(obj, "_loaded_values", None)
                    if loaded is not None:  # a later save() compares against what is now stored
                        for name in written:
                            attname = model._meta.get_field(name).attname
                            if attname in loaded and not hasattr(getattr(obj, attname), "resolve_expression"):
                                loaded[attname] = getattr(obj, attname)
                if self._logged():
                    changelog.prefetch(model, changed)
                    changelog.write([c for c in changes if c[3]], using=self.db)
        return total


def _supports_lock(alias) -> bool:
    from django.db import connections

    return connections[alias].features.has_select_for_update


def _add_years(day: dt.date, years: int) -> dt.date:
    year = min(max(day.year + years, dt.MINYEAR), dt.MAXYEAR)
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


class DomainModel(models.Model):
    """Domain data: timestamped, versioned (optimistic locking) and recorded in the change log.

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
        super().save(*args, **kwargs)
        if loaded is not None and "version" in loaded:
            loaded["version"] = self.version

    def delete(self, *args, **kwargs):
        from yuanjiang.review import guard

        guard.check_instance(self, deleting=True)  # before the collector's transaction (review.guard)
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # What the change log compares against on the next save (no extra query).
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
        """Rules every domain model obeys: bounded texts, dates near the program's term, closed periods."""
        from yuanjiang.review import guard

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
            closed = guard.form_errors(self, exclude)
            if closed:
                errors.update(closed)
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
