import contextvars

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from yuanjiang.common import formatting
from yuanjiang.common.fields import MoneyField


def _is_money(field) -> bool:
    return isinstance(field, MoneyField) or (
        isinstance(field, models.DecimalField) and "元" in str(field.verbose_name)
    )


class ObjectChangeQuerySet(models.QuerySet):
    """Also the log models' base manager (Meta.base_manager_name): no ORM path edits a log row."""

    def update(self, **kwargs):
        raise PermissionError("变更日志不可修改。")

    def bulk_create(self, *args, **kwargs):
        raise PermissionError("变更日志只能由系统在数据变更时写入。")

    def bulk_update(self, *args, **kwargs):
        raise PermissionError("变更日志不可修改。")

    def delete(self):
        raise PermissionError("变更日志不可删除。")


# Set by core.changelog while it writes a change set: the only code that creates the change log's rows
# (its entries it inserts itself, in one statement per chunk).
SYSTEM_WRITING: contextvars.ContextVar[bool] = contextvars.ContextVar("yj_log_writing", default=False)


class AppendOnly(models.Model):
    """A log row: written once, never changed or deleted (the database refuses it too: core.guard).
    A model whose rows only the system writes (`system_written`) refuses any other insert too: a
    script cannot forge the change log through the ORM."""

    system_written = False

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("变更日志不可修改。")
        if self.system_written and not SYSTEM_WRITING.get():
            raise PermissionError("变更日志只能由系统在数据变更时写入。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("变更日志不可删除。")


class ChangeSet(AppendOnly):
    """Who changed data, when, from where: one row per request, command or import, shared by all the
    entries (ObjectChange) it wrote. Append-only like the entries (core.guard)."""

    system_written = True

    time = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT
    )
    actor_name = models.CharField("操作人账号", max_length=150, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True, db_index=True)
    source = models.CharField("来源", max_length=64, blank=True)

    objects = ObjectChangeQuerySet.as_manager()

    class Meta:
        verbose_name = "变更批次"
        verbose_name_plural = "变更批次"
        ordering = ["-id"]

    def __str__(self):
        return f"{self.time:%Y-%m-%d %H:%M:%S} {self.actor_name or '系统'} {self.source}".rstrip()


class _OfChangeSet:
    """An entry's attribute read from its change set (who, when, from where)."""

    def __init__(self, label: str):
        self.short_description = label  # the admin's column header

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, entry, owner=None):
        return self if entry is None else getattr(entry.changeset, self.name)


class ObjectChange(AppendOnly):
    """One create, update or delete of domain data, in a ChangeSet (who, when, from where).
    Append-only: nothing can edit or delete it (the database refuses it too: core.guard). Users and
    programs with history are protected: SET_NULL would rewrite log rows; deactivate them instead.

    What it stores (core.changelog): an update the old values of the fields it changed (`before`), a
    delete the full row and its text, a create neither values nor text. The rest is read back
    (core.history.fill): the values right after an entry are the record's current values with every
    later entry's `before` laid over them; an update's `after` and text come from those, a create's
    values too, its text is the record's."""

    system_written = True  # inserted by core.changelog.insert only

    class Action(models.TextChoices):
        CREATE = "create", "新增"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"

    # Not indexed: no page reads a change set's entries (an entry joins its change set by the set's
    # key), and a change set is never deleted (core.guard), so the foreign key needs no index either.
    changeset = models.ForeignKey(
        ChangeSet, verbose_name="变更批次", on_delete=models.PROTECT, db_index=False
    )
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    # Indexed together with object_id (Meta.indexes): the history lookup of one record.
    content_type = models.ForeignKey(
        ContentType, verbose_name="记录类型", on_delete=models.PROTECT, db_index=False
    )
    object_id = models.CharField("记录编号", max_length=64)
    object_repr = models.CharField("记录", max_length=300, blank=True)  # a delete's only (core.history)
    # The program the record belongs to: lets scoping show a program's history to its own people.
    program = models.ForeignKey(
        "org.Program", verbose_name="援疆项目组", null=True, blank=True, on_delete=models.PROTECT
    )
    # Parent record whose history tab also shows this change (e.g. a fund transaction's project).
    related_content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    related_object_id = models.CharField(max_length=64, blank=True)
    before = models.JSONField("修改前", null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField("修改后", null=True, blank=True, encoder=DjangoJSONEncoder)

    objects = ObjectChangeQuerySet.as_manager()

    # Who, when, from where: the change set's (select_related("changeset") where many are shown).
    time = _OfChangeSet("时间")
    actor = _OfChangeSet("操作人")
    actor_id = _OfChangeSet("操作人编号")
    actor_name = _OfChangeSet("操作人账号")
    request_id = _OfChangeSet("请求编号")
    source = _OfChangeSet("来源")

    # 导出Excel of the change stream (interop.exporting): who/when/where read through the change set.
    export_columns = (
        ("time", "时间", "datetime"),
        ("actor_name", "操作人", "text"),
        ("source", "来源", "text"),
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "program",
        ("request_id", "请求编号", "text"),
    )

    class Meta:
        verbose_name = "变更记录"
        verbose_name_plural = "变更日志"
        ordering = ["-id"]  # ids grow with time: the newest first
        # The history of a record (common.views.history_for): its own changes and its children's.
        # Two equalities each, so SQLite picks them without statistics (no ANALYZE needed).
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="core_change_object_idx"),
            # Only the entries that name a parent (4 in 10 do not): the lookup asks for one parent.
            models.Index(
                fields=["related_content_type", "related_object_id"],
                name="core_change_related_idx",
                condition=models.Q(related_content_type__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor_name or '系统'} {self.get_action_display()} {self.object_repr}"

    @classmethod
    def prepare_rows(cls, entries) -> list:
        """A chunk of an export: its entries' texts and values not stored (core.history)."""
        from yuanjiang.core import history

        return history.fill(entries)

    def diff(self) -> list[tuple[str, object, object]]:
        """(field label, before, after) for the fields that changed, in the users' words: choice
        labels instead of stored codes; a new record lists only the fields it filled in."""
        if self.after is None and self.action != self.Action.DELETE:  # a single entry, not a page
            from yuanjiang.core.history import fill

            fill([self])
        before, after = self.before or {}, self.after or {}
        model = self.content_type.model_class()
        fields = {f.attname: f for f in model._meta.concrete_fields} if model is not None else {}
        skip = {"id", "updated_at", "created_at", "version"}

        def shown(field, value):
            if field is not None and field.choices and value is not None:
                return dict(field.flatchoices).get(value, value)
            if isinstance(value, bool):
                return "是" if value else "否"
            if field is not None and field.is_relation and field.attname.endswith("_by_id") and value:
                names = getattr(self, "_user_names", None)
                if names is None:  # a single entry, not a page: name it here
                    from yuanjiang.core.history import name_users

                    name_users([self])
                    names = self._user_names
                return names.get(value, f"（已删除的用户 {value}）")
            if value not in (None, "") and _is_money(field):
                return formatting.exact(value, "元")  # as on the record's page: 4120万元, not 41200000
            return value

        rows = []
        for key in after or before:
            if key in skip or before.get(key) == after.get(key):
                continue
            if (
                self.action != self.Action.UPDATE
                and before.get(key) in (None, "")
                and after.get(key) in (None, "")
            ):
                continue
            field = fields.get(key)
            label = str(field.verbose_name) if field is not None else key
            if _is_money(field):
                label = label.removesuffix("（元）")
            rows.append((label, shown(field, before.get(key)), shown(field, after.get(key))))
        return rows
