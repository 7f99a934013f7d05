from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MetricsConfig(AppConfig):
    name = "yuanjiang.metrics"
    url_prefix = "metrics/"  # where config/urls.py includes its urls.py
    verbose_name = "指标"

    def ready(self):
        from yuanjiang.kernel import hooks
        from yuanjiang.kernel.models import DomainModel
        from yuanjiang.metrics import cache, registry

        registry.autodiscover()
        # Every committed write of domain data is a new state of the data: figures kept for the old
        # one are not served again (metrics.cache).
        hooks.register(DomainModel, after=cache.written, order=2000)
        # Migrations may write data outside the kernel (and `flush` empties it): a new state too.
        post_migrate.connect(cache.migrated, sender=self, dispatch_uid="yj_figures_migrated")
