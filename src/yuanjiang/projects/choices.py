from django.db import models


class Category(models.TextChoices):
    INDUSTRY = "industry", "产业发展"
    EDUCATION = "education", "教育"
    HEALTH = "health", "医疗卫生"
    INFRASTRUCTURE = "infrastructure", "民生基础设施"
    TALENT = "talent", "干部人才"
    CULTURE = "culture", "文化润疆"
    EMPLOYMENT = "employment", "就业"
    RURAL = "rural", "乡村振兴"
    OTHER = "other", "其他"


class Nature(models.TextChoices):
    NEW = "new", "新建"
    CONTINUED = "continued", "续建"
    RENOVATION = "renovation", "改扩建"
    NON_CONSTRUCTION = "non_construction", "非建设类"


class DeliveryMode(models.TextChoices):
    TURNKEY = "turnkey", "交钥匙"
    CHEQUE = "cheque", "交支票"


class Status(models.TextChoices):
    """Derived from the milestones (see projects.status), never typed in."""

    NOT_STARTED = "not_started", "未开工"
    UNDERWAY = "underway", "在建"
    COMPLETED = "completed", "已完工"
    DELIVERED = "delivered", "已交付/投产"
    ACCEPTED = "accepted", "已验收"


class TransactionKind(models.TextChoices):
    """IATI transaction types 2 (commitment), 3 (disbursement), 4 (expenditure)."""

    COMMITMENT = "commitment", "下达"
    DISBURSEMENT = "disbursement", "拨付"
    EXPENDITURE = "expenditure", "支出"


IATI_TRANSACTION_TYPE = {
    TransactionKind.COMMITMENT: "2",
    TransactionKind.DISBURSEMENT: "3",
    TransactionKind.EXPENDITURE: "4",
}
