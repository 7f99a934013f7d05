from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "yuanjiang.reports"
    verbose_name = "成绩单"

    def ready(self):
        from yuanjiang.reports import checks  # noqa: F401  (registers the definition check)
