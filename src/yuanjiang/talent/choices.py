from django.db import models


class WorkerKind(models.TextChoices):
    """援疆干部人才的类别. Other apps (education, health) refer to teachers and doctors by these values."""

    CADRE = "cadre", "党政干部"
    TEACHER = "teacher", "教师"
    DOCTOR = "doctor", "医生"
    PROFESSIONAL = "professional", "专业技术人才"
    FLEXIBLE = "flexible", "柔性人才"


class Sector(models.TextChoices):
    GENERAL = "general", "综合"
    INDUSTRY = "industry", "产业招商"
    EDUCATION = "education", "教育"
    HEALTH = "health", "医疗卫生"
    AGRICULTURE = "agriculture", "农业农村"
    PLANNING = "planning", "规划建设"
    CULTURE = "culture", "文化旅游"
    OTHER = "other", "其他"


class TermKind(models.TextChoices):
    LONG = "long", "长期（随批次）"
    SHORT = "short", "短期"
    FLEXIBLE = "flexible", "柔性"


class GroupRole(models.TextChoices):
    LEADER = "leader", "组长"
    DEPUTY = "deputy", "副组长"
    TEAM_HEAD = "team_head", "专项组负责人"
    MEMBER = "member", "成员"


class AgreementKind(models.TextChoices):
    FRAMEWORK = "framework", "框架协议"
    COOPERATION = "cooperation", "合作协议"
    OTHER = "other", "其他协议"


class Audience(models.TextChoices):
    CADRE = "cadre", "党政干部"
    VILLAGE = "village", "乡村干部"
    PROFESSIONAL = "professional", "专业技术人才"
    TEACHER = "teacher", "教师"
    MEDICAL = "medical", "医务人员"
    ENTREPRENEUR = "entrepreneur", "企业经营管理人才"
    OTHER = "other", "其他"


class TrainingMode(models.TextChoices):
    MAINLAND = "mainland", "赴内地"
    LOCAL = "local", "就地"
    ONLINE = "online", "线上"
