"""Writes that reach a domain record without its `save()` or the kernel's queryset: raw saves from
fixtures (`loaddata` calls `Model.save_base` directly) and deletes cascading from a model outside
the kernel. Django's signals bring them into the same hooks, as chunks of one record (here, and only
here, signals are used: the kernel's own plumbing)."""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from yuanjiang.kernel import hooks
from yuanjiang.kernel.hooks import CREATE, DELETE, UPDATE, Write
from yuanjiang.kernel.models import DomainModel, kernel_deleting, remember_loaded, save_write


def _pre_save(sender, instance, raw=False, using=None, update_fields=None, **kwargs):
    if not issubclass(sender, DomainModel) or getattr(instance, "_kernel_write", None) is not None:
        return
    write = save_write(instance, using or "default", update_fields, origin="raw" if raw else "signal")
    instance._kernel_signal_write = write
    hooks.run_before(write)


def _post_save(sender, instance, created, raw=False, **kwargs):
    write = instance.__dict__.pop("_kernel_signal_write", None)
    if write is None:
        return
    write.action = CREATE if created else UPDATE
    if created:
        write.before = None
    hooks.run_after(write)
    remember_loaded(instance)


def _pre_delete(sender, instance, using=None, **kwargs):
    if not issubclass(sender, DomainModel) or kernel_deleting():
        return
    write = Write(sender, DELETE, [instance], using or "default", "signal")
    instance._kernel_signal_write = write
    hooks.run_before(write)


def _post_delete(sender, instance, **kwargs):
    write = instance.__dict__.pop("_kernel_signal_write", None)
    if write is not None:
        hooks.run_after(write)


def connect():
    pre_save.connect(_pre_save, dispatch_uid="yj_kernel_pre_save")
    post_save.connect(_post_save, dispatch_uid="yj_kernel_post_save")
    pre_delete.connect(_pre_delete, dispatch_uid="yj_kernel_pre_delete")
    post_delete.connect(_post_delete, dispatch_uid="yj_kernel_post_delete")
