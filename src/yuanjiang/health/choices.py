from django.db import models


class ActivityKind(models.TextChoices):
    FREE_CLINIC = "free_clinic", "义诊"
    TELECONSULTATION = "teleconsultation", "远程会诊"
    EXPERT_VISIT = "expert_visit", "专家坐诊带教"
    SURGERY = "surgery", "手术"
    NEW_TECHNIQUE = "new_technique", "新技术新项目"
    HEALTH_EDUCATION = "health_education", "健康科普"
    DISCIPLINE = "discipline", "学科建设"
