from django.db import models


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    APPROVED = "approved", "已审核"
    RETURNED = "returned", "已退回"


# What a figure counts (Metric.counts, Scope.review, `?review=`, `--review`).
COUNTS_APPROVED = "approved"
COUNTS_ALL = "all"
COUNTS = {
    COUNTS_APPROVED: "仅计已审核记录",
    COUNTS_ALL: "计入全部记录（含草稿、已提交、已退回）",
}
