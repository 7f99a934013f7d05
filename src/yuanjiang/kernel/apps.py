from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "yuanjiang.kernel"
    verbose_name = "写入内核"

    def ready(self):
        from yuanjiang.kernel import migration, signals

        signals.connect()
        migration.install()
