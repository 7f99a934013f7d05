from django.db import models


class InstitutionKind(models.TextChoices):
    UNIVERSITY = "university", "高校"
    RESEARCH = "research", "科研院所"
    HOSPITAL = "hospital", "医院"
    ASSOCIATION = "association", "行业协会"
    GOVERNMENT = "government", "政府部门"
    OTHER = "other", "其他"
