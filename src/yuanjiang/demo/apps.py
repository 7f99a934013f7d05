from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "yuanjiang.demo"
    verbose_name = "演示数据"
