from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "yuanjiang.interop"
    url_prefix = "ledgers/"  # where config/urls.py includes its urls.py
    verbose_name = "台账导入导出"

    def ready(self):
        from yuanjiang.interop import checks  # noqa: F401  (registers the ledger declarations' check)
