"""Optimistic locking: a stale write gets a conflict, never a silent overwrite."""

from django.db import transaction

from yuanjiang.kernel.models import DomainModel


class StaleVersionError(Exception):
    """The record changed since the editor loaded it."""

    def __init__(self, instance: DomainModel, submitted: int, current: int):
        self.instance = instance
        self.submitted = submitted
        self.current = current
        super().__init__(
            f"“{instance}”已被他人修改（您编辑的是第{submitted}版，当前为第{current}版），"
            "为避免覆盖他人的修改，本次保存未执行。请刷新页面，核对最新内容后重新修改。"
        )


def save_versioned(instance: DomainModel, *, expected_version: int | None) -> DomainModel:
    """Save `instance`, bumping its version, if and only if nobody saved it since `expected_version`.

    New records (no pk) are simply saved at version 1.
    """
    with transaction.atomic():
        if instance.pk is None:
            instance.version = 1
            instance.save()
            return instance
        current = (
            type(instance).objects.select_for_update().values_list("version", flat=True).get(pk=instance.pk)
        )
        if expected_version is None or current != expected_version:
            raise StaleVersionError(instance, expected_version or 0, current)
        instance.version = current + 1
        instance.save()
        return instance
