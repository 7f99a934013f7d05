"""Base classes every domain model builds on."""

from django.db import models


class DomainModel(models.Model):
    """Domain data: timestamped, versioned (optimistic locking) and recorded in the change log.

    `scope_path` is the ORM lookup from the model to its Program; scoping (accounts.scoping) uses it
    to restrict every queryset, form choice, export and metric to what a user may see.
    """

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    scope_path: str | None = None
    track_changes = True
    # The columns of the model's tables (lists, the records behind a figure) and what they need joined.
    table_columns: tuple[str, ...] = ("__str__",)
    table_select_related: tuple[str, ...] = ()

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
