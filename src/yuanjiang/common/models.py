"""Base classes every domain model builds on."""

import datetime as dt

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import F

# Texts without a declared max_length are bounded too (an 800 000-character text would be stored,
# and logged before and after, on every edit). Forms show the same limit (common.forms).
TEXT_MAX_LENGTH = 5000
# Dates of a program's records lie within its term, give or take this many years (plans made
# before the term, acceptance after it); year 1, 1900 or 9999 is a typing error.
DATE_WINDOW_YEARS = 5


class DomainQuerySet(models.QuerySet):
    """Bulk writes that still reach the change log, bump versions and respect closed periods.

    `save()` and `delete()` are logged by signals; `update()` and `bulk_create()` send no signals, so
    here they log each record themselves (one bulk insert of log entries), and `bulk_update()` is
    refused. Every create, update and delete of domain data is thus recorded, whatever the path.
    `update()` bumps each row's `version`, so a form loaded before it gets the conflict message.
    """

    def update(self, **kwargs):
        from yuanjiang.core import changelog
        from yuanjiang.review import guard

        model = self.model
        with transaction.atomic(using=self.db):
            guard.check_update(self, kwargs)
            before = {obj.pk: (obj, changelog.snapshot(obj)) for obj in self.select_for_update()}
            if "updated_at" not in kwargs and any(f.name == "updated_at" for f in model._meta.fields):
                from django.utils import timezone

                kwargs["updated_at"] = timezone.now()
            if "version" not in kwargs and any(f.name == "version" for f in model._meta.fields):
                kwargs["version"] = F("version") + 1
            count = super().update(**kwargs)
            after = {obj.pk: obj for obj in model._base_manager.filter(pk__in=before.keys())}
            changelog.record_many(
                [
                    (after[pk], "update", snap, changelog.snapshot(after[pk]))
                    for pk, (_obj, snap) in before.items()
                ]
            )
        return count

    def bulk_create(self, objs, *args, **kwargs):
        from yuanjiang.core import changelog
        from yuanjiang.review import guard

        objs = list(objs)
        with transaction.atomic(using=self.db):
            guard.check_create(self.model, objs)
            created = super().bulk_create(objs, *args, **kwargs)
            changelog.record_many([(obj, "create", None, changelog.snapshot(obj)) for obj in created])
        return created

    def delete(self):
        from yuanjiang.review import guard

        # Checked before Django's collector opens its transaction (the pre_delete signal checks
        # cascaded records again, inside it).
        guard.check_delete(self)
        return super().delete()

    def bulk_update(self, objs, fields, batch_size=None):
        raise NotImplementedError("bulk_update bypasses the change log: save each record, or use update().")


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
