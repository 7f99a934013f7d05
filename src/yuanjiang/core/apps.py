from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yuanjiang.core"
    verbose_name = "平台"

    def ready(self):
        from yuanjiang.core import changelog

        changelog.connect()
