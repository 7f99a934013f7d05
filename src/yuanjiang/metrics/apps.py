from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "yuanjiang.metrics"
    url_prefix = "metrics/"  # where config/urls.py includes its urls.py
    verbose_name = "指标"

    def ready(self):
        from yuanjiang.metrics import registry

        registry.autodiscover()
