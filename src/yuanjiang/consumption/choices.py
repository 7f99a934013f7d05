from django.db import models


class BuyerKind(models.TextChoices):
    GOVERNMENT = "government", "党政机关"
    STATE_ENTERPRISE = "state_enterprise", "国有企业"
    PRIVATE_ENTERPRISE = "private_enterprise", "民营企业"
    UNION = "union", "工会"
    SCHOOL_HOSPITAL = "school_hospital", "学校医院"
    OTHER = "other", "个人及其他"


class ProductCategory(models.TextChoices):
    FARM = "farm", "农产品"
    FOOD = "food", "食品"
    TEXTILE = "textile", "纺织服装"
    HANDICRAFT = "handicraft", "手工艺品"
    TOURISM = "tourism", "文旅产品"
    OTHER = "other", "其他"


class Channel(models.TextChoices):
    FAIR = "fair", "展销会"
    ONLINE = "online", "线上平台"
    INSTITUTIONAL = "institutional", "单位采购"
    COUNTER = "counter", "消费帮扶专柜"
    OTHER = "other", "其他"
