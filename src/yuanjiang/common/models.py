"""Base classes every domain model builds on."""

from django.db import models, transaction


class DomainQuerySet(models.QuerySet):
    """Bulk writes that still reach the change log.

    `save()` and `delete()` are logged by signals; `update()` and `bulk_create()` send no signals, so
    here they log each record themselves (one bulk insert of log entries), and `bulk_update()` is
    refused. Every create, update and delete of domain data is thus recorded, whatever the path.
    """

    def update(self, **kwargs):
        from yuanjiang.core import changelog

        model = self.model
        with transaction.atomic(using=self.db):
            before = {obj.pk: (obj, changelog.snapshot(obj)) for obj in self.select_for_update()}
            if "updated_at" not in kwargs and any(f.name == "updated_at" for f in model._meta.fields):
                from django.utils import timezone

                kwargs["updated_at"] = timezone.now()
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

        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            changelog.record_many([(obj, "create", None, changelog.snapshot(obj)) for obj in created])
        return created

    def bulk_update(self, objs, fields, batch_size=None):
        raise NotImplementedError("bulk_update bypasses the change log: save each record, or use update().")


class DomainModel(models.Model):
    """Domain data: timestamped, versioned (optimistic locking) and recorded in the change log.

    `scope_path` is the ORM lookup from the model to its Program; scoping (accounts.scoping) uses it
    to restrict every queryset, form choice, export and metric to what a user may see.
    """

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    scope_path: str | None = None
    # A shared reference record (an enterprise, a park …): no program; every signed-in user may read
    # it and whoever may edit some program (clerk, lead, admin) may edit it (accounts.scoping).
    shared: bool = False
    track_changes = True
    # The columns of the model's tables (lists, the records behind a figure) and what they need joined.
    table_columns: tuple[str, ...] = ("__str__",)
    table_select_related: tuple[str, ...] = ()

    objects = DomainQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # What the change log compares against on the next save (no extra query).
        instance._loaded_values = dict(zip(field_names, values, strict=True))
        return instance

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
