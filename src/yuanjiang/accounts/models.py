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
