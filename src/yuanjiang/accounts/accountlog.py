"""Writes the account log (AccountEvent) from signals, whatever the path — the admin, the password
pages, commands (createsuperuser, changepassword), code:

- User post_save / post_delete: created, deleted, superuser, staff, active, password (changed by the
  user themself, or reset by someone else), other fields (username, name, e-mail);
- m2m_changed of User.groups and User.user_permissions; memberships (roles) through a hook of the
  write kernel, so every path that writes a membership is logged;
- user_logged_in, user_login_failed, and django-axes' user_locked_out; unlocks are written by the
  admin action and the `unlock` command (`record`).

Who: the signed-in user of the request (core.context, set by ChangeActorMiddleware) or the actor of
`acting_as`; for sign-ins the user signing in. From where: the request's client address
(core.security.client_ip) and path, or the command's name.
"""

from __future__ import annotations

import contextvars
import os
import sys

from django.contrib.auth import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from yuanjiang.accounts.models import AccountEvent, Membership, User
from yuanjiang.core import context
from yuanjiang.kernel import hooks

Kind = AccountEvent.Kind
_request: contextvars.ContextVar = contextvars.ContextVar("yj_accountlog_request", default=None)
WATCHED = (
    "is_superuser",
    "is_staff",
    "is_active",
    "password",
    "username",
    "first_name",
    "last_name",
    "email",
)
_LABELS = {
    "username": "账号名",
    "first_name": "名",
    "last_name": "姓",
    "email": "电子邮箱",
    "display_name": "姓名",
}


class RequestMiddleware:
    """Keeps the request at hand for the receivers (its address and path)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def _where(request=None) -> tuple[str | None, str]:
    request = request or _request.get()
    if request is None:  # a command: the one its context names, else the process's own arguments
        source = context.current().source
        if source.startswith("command:"):
            return None, f"命令 {source.partition(':')[2]}"[:200]
        command = " ".join(sys.argv[1:3]) or (os.path.basename(sys.argv[0]) if sys.argv else "")
        return None, f"命令 {command}".strip()[:200]
    from yuanjiang.core.security import client_ip

    ip = client_ip(request) or None
    return ip, request.path[:200]


def record(kind, *, target=None, target_name: str = "", actor=None, request=None, detail: str = ""):
    """Appends one event. The actor defaults to whoever acts in this request or command."""
    ip, path = _where(request)
    if actor is None:
        ctx = context.current()
        actor_id, actor_name = ctx.actor_id, ctx.actor_name
    else:
        actor_id, actor_name = actor.pk, actor.get_username()
    AccountEvent.objects.create(
        time=timezone.now(),
        kind=kind,
        actor_id=actor_id,
        actor_name=actor_name or "",
        target_id=getattr(target, "pk", None),
        target_name=(target.get_username() if target is not None else target_name)[:150],
        ip_address=ip,
        path=path,
        detail=detail[:500],
    )


def _yes(value) -> str:
    return "是" if value else "否"


def _before_save(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or instance.pk is None or (update_fields and set(update_fields) <= {"last_login"}):
        instance._accountlog_old = None
        return
    instance._accountlog_old = User.objects.filter(pk=instance.pk).values(*WATCHED, "display_name").first()


def _after_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if created:
        flags = [
            name for name, on in (("超级用户", instance.is_superuser), ("后台登录", instance.is_staff)) if on
        ]
        record(Kind.CREATED, target=instance, detail="，".join(flags))
        return
    old = getattr(instance, "_accountlog_old", None)
    if not old:
        return
    actor_id = context.current().actor_id
    if old["is_superuser"] != instance.is_superuser:
        record(
            Kind.SUPERUSER,
            target=instance,
            detail=f"超级用户：{_yes(old['is_superuser'])} → {_yes(instance.is_superuser)}",
        )
    if old["is_staff"] != instance.is_staff:
        record(
            Kind.STAFF,
            target=instance,
            detail=f"后台登录：{_yes(old['is_staff'])} → {_yes(instance.is_staff)}",
        )
    if old["is_active"] != instance.is_active:
        record(
            Kind.ACTIVE,
            target=instance,
            detail=f"启用：{_yes(old['is_active'])} → {_yes(instance.is_active)}",
        )
    if old["password"] != instance.password:
        own = actor_id is not None and actor_id == instance.pk
        record(Kind.PASSWORD_CHANGED if own else Kind.PASSWORD_RESET, target=instance)
    changed = [
        f"{_LABELS[f]}：{old[f] or '（空）'} → {getattr(instance, f) or '（空）'}"
        for f in ("username", "first_name", "last_name", "email", "display_name")
        if old[f] != getattr(instance, f)
    ]
    if changed:
        record(Kind.CHANGED, target=instance, detail="；".join(changed))


def _after_delete(sender, instance, **kwargs):
    record(Kind.DELETED, target=None, target_name=instance.get_username())


def _m2m(kind, what):
    def receiver(sender, instance, action, reverse, model, pk_set, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        users = [instance] if not reverse else list(User.objects.filter(pk__in=pk_set or ()))
        if reverse:
            names = [str(instance)]
        else:
            names = [str(o) for o in model.objects.filter(pk__in=pk_set or ())] if pk_set else []
        verb = {"post_add": "加入", "post_remove": "移除", "post_clear": "清空"}[action]
        for user in users:
            record(
                kind, target=user, detail=f"{what}{verb}：{'、'.join(names)}" if names else f"{what}{verb}"
            )

    return receiver


def memberships_written(write):
    """Kernel hook (after every write of memberships, whatever the path: a form, the admin, a bulk
    insert, a cascade): one account-log row per role given, changed or taken away."""
    if write.origin == "raw":
        return
    for obj in write.objs:
        if write.action == "delete":
            try:
                user = obj.user
            except User.DoesNotExist:
                continue  # the user is being deleted: that is logged
            record(Kind.ROLES, target=user, detail=f"删除角色：{obj}")
        else:
            verb = "新增" if write.action == "create" else "修改"
            record(Kind.ROLES, target=obj.user, detail=f"{verb}角色：{obj}")


def _logged_in(sender, request, user, **kwargs):
    record(Kind.LOGIN, target=user, actor=user, request=request)


def _login_failed(sender, credentials, request=None, **kwargs):
    name = str(credentials.get("username") or "")[:150]
    target = User.objects.filter(username=name).first() if name else None
    record(Kind.LOGIN_FAILED, target=target, target_name=name, request=request)


def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    from yuanjiang.accounts.lockout import AccountLockoutHandler

    name = str(username or "")[:150]
    target = User.objects.filter(username=name).first() if name else None
    scope = (
        "账号（所有地址）"
        if request is not None and AccountLockoutHandler().account_locked(request)
        else "本地址"
    )
    record(Kind.LOCKED_OUT, target=target, target_name=name, request=request, detail=f"锁定范围：{scope}")


_groups = _m2m(Kind.GROUPS, "用户组")
_permissions = _m2m(Kind.PERMISSIONS, "权限")


def connect():
    from axes.signals import user_locked_out

    pre_save.connect(_before_save, sender=User, dispatch_uid="accountlog_pre_save")
    post_save.connect(_after_save, sender=User, dispatch_uid="accountlog_post_save")
    post_delete.connect(_after_delete, sender=User, dispatch_uid="accountlog_post_delete")
    m2m_changed.connect(_groups, sender=User.groups.through, dispatch_uid="accountlog_groups")
    m2m_changed.connect(_permissions, sender=User.user_permissions.through, dispatch_uid="accountlog_perms")
    hooks.register(Membership, after=memberships_written, order=950)
    user_logged_in.connect(_logged_in, dispatch_uid="accountlog_logged_in")
    user_login_failed.connect(_login_failed, dispatch_uid="accountlog_login_failed")
    user_locked_out.connect(_locked_out, dispatch_uid="accountlog_locked_out")
