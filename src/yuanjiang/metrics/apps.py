from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "yuanjiang.metrics"
    verbose_name = "指标"

    def ready(self):
        from yuanjiang.metrics import registry

        registry.autodiscover()
