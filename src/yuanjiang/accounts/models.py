from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from yuanjiang.kernel.models import DomainModel


class User(AbstractUser):
    """A person who signs in. Roles come from Memberships, not from Django's groups."""

    display_name = models.CharField("姓名", max_length=50, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self):
        return self.display_name or self.username


class Role(models.TextChoices):
    CLERK = "clerk", "填报员"
    LEAD = "lead", "工作组负责人"
    SUPERVISOR = "supervisor", "前方指挥部/援疆办"
    AUDITOR = "auditor", "审计"
    ADMIN = "admin", "系统管理员"


# What each role may do within its membership's scope.
EDIT_ROLES = frozenset({Role.CLERK, Role.LEAD, Role.ADMIN})
CHANGELOG_ROLES = frozenset({Role.AUDITOR, Role.ADMIN})


class Membership(DomainModel):
    """User × (program or organization subtree) × role: the source of every row-level permission."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="memberships")
    program = models.ForeignKey(
        "org.Program", verbose_name="援疆项目组", null=True, blank=True, on_delete=models.CASCADE
    )
    organization = models.ForeignKey(
        "org.Organization",
        verbose_name="组织机构（含下级）",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    role = models.CharField("角色", max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = "成员与角色"
        verbose_name_plural = "成员与角色"
        ordering = ["user__username", "role"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(program__isnull=False, organization__isnull=True))
                | (models.Q(program__isnull=True, organization__isnull=False)),
                name="membership_program_xor_organization",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.program or self.organization}"

    def clean(self):
        if bool(self.program_id) == bool(self.organization_id):
            raise ValidationError("成员资格须指定一个援疆项目组或一个组织机构（二选一）。")


class Invitation(DomainModel):
    """An invitation to a program with a role, by a one-time link (org/setup.py).

    Only the link's token hash is stored; the link is shown once, to the one who invites. Accepting
    it creates the account and its membership and spends the link; a used, expired or revoked link
    opens nothing. Revoking (by the program's lead or supervisor) is a write like any other: the
    change log records who revoked it and when."""

    program = models.ForeignKey(
        "org.Program", verbose_name="援疆项目组", on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField("角色", max_length=12, choices=Role.choices, default=Role.CLERK)
    display_name = models.CharField("姓名", max_length=50)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, verbose_name="邀请人", null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    expires_at = models.DateTimeField("链接有效期至")
    accepted_at = models.DateTimeField("接受时间", null=True, blank=True, editable=False)
    accepted_user = models.ForeignKey(
        User, verbose_name="注册账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        User, verbose_name="撤销人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "program"

    class Meta:
        verbose_name = "邀请"
        verbose_name_plural = "邀请"
        ordering = ["program", "-created_at"]

    def __str__(self):
        return f"{self.display_name}（{self.get_role_display()}）"

    def gone(self, now) -> str:
        """Why the link opens nothing any more ("" while it still can be used)."""
        if self.revoked_at is not None:
            return "已被撤销"
        if self.accepted_at is not None:
            return "已被使用"
        if self.expires_at < now:
            return "已过期"
        return ""


class AccountEvent(models.Model):
    """The account log: one row per account change, sign-in, failed sign-in, lockout and unlock —
    who (actor), whom (target), when, from where. Append-only: the model refuses to change or delete
    a row and the database refuses it too (accounts/guard.py). Written by the signal receivers of
    accounts/accountlog.py; read by auditors (`/accounts/log/`) and in the admin (read-only)."""

    class Kind(models.TextChoices):
        CREATED = "created", "创建账号"
        DELETED = "deleted", "删除账号"
        CHANGED = "changed", "修改账号信息"
        SUPERUSER = "superuser", "超级用户变更"
        STAFF = "staff", "后台登录权限变更"
        ACTIVE = "active", "启用/停用"
        GROUPS = "groups", "用户组变更"
        PERMISSIONS = "permissions", "权限变更"
        ROLES = "roles", "角色变更"
        PASSWORD_CHANGED = "password_changed", "本人修改密码"
        PASSWORD_RESET = "password_reset", "他人重置密码"
        LOGIN = "login", "登录"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOCKED_OUT = "locked_out", "登录被锁定"
        UNLOCKED = "unlocked", "解除登录锁定"
        API_TOKEN_CREATED = "api_token_created", "创建接口令牌"
        API_TOKEN_REVOKED = "api_token_revoked", "撤销接口令牌"
        API_TOKEN_USED = "api_token_used", "使用接口令牌"

    time = models.DateTimeField("时间", db_index=True)
    kind = models.CharField("事件", max_length=20, choices=Kind.choices, db_index=True)
    # Ids without database constraints, and the names as written: the log outlives the accounts.
    actor = models.ForeignKey(
        User,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField("操作人账号", max_length=150, blank=True)
    target = models.ForeignKey(
        User,
        verbose_name="账号",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    target_name = models.CharField("账号名", max_length=150, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField("地址", null=True, blank=True)
    path = models.CharField("页面或命令", max_length=200, blank=True)
    detail = models.CharField("详情", max_length=500, blank=True)

    class Meta:
        verbose_name = "账号日志"
        verbose_name_plural = "账号日志"
        ordering = ["-time", "-id"]

    def __str__(self):
        return f"{self.time:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.target_name}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("账号日志不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("账号日志不可删除。")
