from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "yuanjiang.reports"
    verbose_name = "成绩单"
