from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "yuanjiang.health"
    verbose_name = "民生援疆·医疗"
