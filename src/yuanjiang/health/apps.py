from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "yuanjiang.health"
    url_prefix = "health/"  # where config/urls.py includes its urls.py
    verbose_name = "民生援疆·医疗"
