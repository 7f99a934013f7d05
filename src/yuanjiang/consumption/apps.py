from django.apps import AppConfig


class ConsumptionConfig(AppConfig):
    name = "yuanjiang.consumption"
    verbose_name = "消费援疆"
