from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "yuanjiang.interop"
    verbose_name = "台账导入导出"
