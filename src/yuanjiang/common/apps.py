from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "yuanjiang.common"
    verbose_name = "通用"
