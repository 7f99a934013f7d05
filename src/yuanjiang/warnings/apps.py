from django.apps import AppConfig


class WarningsConfig(AppConfig):
    name = "yuanjiang.warnings"
    url_prefix = "warnings/"  # where config/urls.py includes its urls.py
    verbose_name = "预警"

    def ready(self):
        from yuanjiang.warnings import registry

        registry.autodiscover()
