from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "yuanjiang.reports"
    url_prefix = "reports/"  # where config/urls.py includes its urls.py
    verbose_name = "成绩单"

    def ready(self):
        from yuanjiang.reports import checks  # noqa: F401  (registers the definition check)
