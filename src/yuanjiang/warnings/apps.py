from django.apps import AppConfig


class WarningsConfig(AppConfig):
    name = "yuanjiang.warnings"
    verbose_name = "预警"

    def ready(self):
        from yuanjiang.warnings import registry

        registry.autodiscover()
