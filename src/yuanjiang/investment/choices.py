from django.db import models


class InstitutionKind(models.TextChoices):
    UNIVERSITY = "university", "高校"
    RESEARCH = "research", "科研院所"
    HOSPITAL = "hospital", "医院"
    ASSOCIATION = "association", "行业协会"
    GOVERNMENT = "government", "政府部门"
    OTHER = "other", "其他"


class EventKind(models.TextChoices):
    THEMED = "themed", "专题招商"
    PROMOTION = "promotion", "推介会"
    SIGNING = "signing", "签约仪式"
    INSPECTION = "inspection", "考察"
    RETURN_VISIT = "return_visit", "回访"


class ContactKind(models.TextChoices):
    DOCKING = "docking", "对接"
    VISIT = "visit", "拜访"
    NEGOTIATION = "negotiation", "洽谈"


class Stage(models.TextChoices):
    """Stage of an investment project in the pipeline: derived from its dates (investment.stage)."""

    NEGOTIATING = "negotiating", "洽谈"
    SIGNED = "signed", "签约"
    LANDED = "landed", "落户"
    STARTED = "started", "开工"
    OPERATING = "operating", "投产"
