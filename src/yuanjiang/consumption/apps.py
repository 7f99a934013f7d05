from django.apps import AppConfig


class ConsumptionConfig(AppConfig):
    name = "yuanjiang.consumption"
    url_prefix = "consumption/"  # where config/urls.py includes its urls.py
    verbose_name = "消费援疆"
