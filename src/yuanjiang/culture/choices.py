from django.db import models


class EventKind(models.TextChoices):
    TOURISM_PROMOTION = "tourism_promotion", "文旅推介"
    EXCHANGE = "exchange", "交流交往交融"
    CULTURAL = "cultural", "文化润疆活动"
    OTHER = "other", "其他"
