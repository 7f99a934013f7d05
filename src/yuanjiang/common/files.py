"""Uploaded files leave the disk with their record: when a DomainModel row with file fields is
deleted (its own delete, a queryset delete, a cascade from its parent, the admin), its files are
removed once the transaction commits, so a rolled-back delete keeps them."""

from django.db import transaction
from django.db.models import FileField
from django.db.models.signals import post_delete


def _remove_files(sender, instance, using=None, **kwargs):
    from yuanjiang.kernel.models import DomainModel

    if not issubclass(sender, DomainModel):
        return
    for field in sender._meta.concrete_fields:
        if not isinstance(field, FileField):
            continue
        file = getattr(instance, field.attname)
        if not file or not file.name:
            continue
        storage, name = file.storage, file.name
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name), using=using)


def connect():
    post_delete.connect(_remove_files, dispatch_uid="yj_remove_files_on_delete")
