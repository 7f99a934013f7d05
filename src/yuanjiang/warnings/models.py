from django.conf import settings
from django.db import models

from yuanjiang.kernel.models import DomainModel


class Acknowledgement(DomainModel):
    """预警确认: a lead has seen a warning and says why it stands (a note). It hides that warning while
    its facts are the ones acknowledged (`fingerprint`); when they change the warning shows again.
    Written through the kernel like every domain record, so the change log holds who and when."""

    program = models.ForeignKey(
        "org.Program", verbose_name="援疆项目组", on_delete=models.PROTECT, related_name="+"
    )
    rule = models.CharField("预警规则", max_length=80)
    subject = models.CharField("预警对象", max_length=255, help_text="所涉记录（模型:编号）")
    fingerprint = models.CharField("事实摘要", max_length=64)
    note = models.CharField("确认说明", max_length=300)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_path = "program"
    table_columns = ("program", "rule", "subject", "note", "acknowledged_by", "created_at")
    table_select_related = ("program", "acknowledged_by")

    class Meta:
        verbose_name = "预警确认"
        verbose_name_plural = "预警确认"
        ordering = ["program", "-created_at", "-id"]
        indexes = [models.Index(fields=["program", "rule"], name="warnings_ack_program_rule")]

    def __str__(self):
        return f"{self.program} {self.rule} {self.subject}：{self.note}"
