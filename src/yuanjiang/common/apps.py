from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "yuanjiang.common"
    verbose_name = "通用"

    def ready(self):
        from yuanjiang.common import files

        files.connect()
