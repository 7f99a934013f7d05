"""API tokens: per user, stored hashed (SHA-256 of a 256-bit random secret), shown once, revocable,
optionally read-only. A token acts exactly as its user (accounts.scoping); every use is in the
account log (accounts.accountlog)."""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from yuanjiang.projects.choices import Category

PREFIX = "yj_"


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("用途说明", max_length=100)
    # The first characters of the token, shown in lists so a user can tell tokens apart.
    prefix = models.CharField("令牌开头", max_length=16, editable=False)
    key_digest = models.CharField("令牌摘要（SHA-256）", max_length=64, unique=True, editable=False)
    read_only = models.BooleanField(
        "只读", default=False, help_text="只读令牌只能查询，不能新增、修改或删除。"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ("-created_at", "-id")

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def issue(cls, user, name: str, *, read_only: bool = False) -> tuple["ApiToken", str]:
        """A new token for `user`: the record and the raw token, which is never stored and shown once."""
        raw = PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=raw[:10], key_digest=digest(raw), read_only=read_only
        )
        return token, raw

    @classmethod
    def lookup(cls, raw: str) -> "ApiToken | None":
        if not raw.startswith(PREFIX) or len(raw) > 200:
            return None
        return cls.objects.active().select_related("user").filter(key_digest=digest(raw)).first()

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class IatiSector(models.Model):
    """Which OECD DAC 5-digit sector (IATI sector vocabulary 1) a project category is exported as.
    Editable in the admin; a category without a row uses `api.iati.DEFAULT_SECTORS`."""

    category = models.CharField("项目类别", max_length=20, unique=True, choices=Category.choices)
    dac_code = models.CharField(
        "DAC 5位行业代码",
        max_length=5,
        validators=[RegexValidator(r"^\d{5}$", "DAC 行业代码是5位数字，例如 11120（教育设施与培训）。")],
        help_text="OECD DAC 5位行业代码，须在 IATI Sector 代码表中",
    )

    class Meta:
        verbose_name = "IATI 行业对照"
        verbose_name_plural = "IATI 行业对照"
        ordering = ("category",)

    def __str__(self):
        return f"{self.get_category_display()} → {self.dac_code}"

    def clean(self):
        from yuanjiang.api.codelists import codelist

        if self.dac_code and self.dac_code not in codelist("Sector"):
            raise ValidationError({"dac_code": f"“{self.dac_code}”不在 IATI 行业代码表（Sector）中。"})
