from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yuanjiang.core"
    verbose_name = "平台"

    def ready(self):
        from yuanjiang.core import changelog, maintenance
        from yuanjiang.kernel import hooks
        from yuanjiang.kernel.models import DomainModel

        changelog.connect()  # the change log: the last hook of every write (order 1000)
        # Planner statistics that still say "empty" after a bulk insert, before the writer's next query.
        hooks.register(DomainModel, after=maintenance.after_bulk_create, order=900)

        from django.contrib.auth.signals import user_logged_in

        from yuanjiang.core.security import stamp_session

        user_logged_in.connect(stamp_session, dispatch_uid="yj_session_stamp")

        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from yuanjiang.core import maintenance

        # Planner statistics (core.maintenance): after migrate, and periodically on SQLite.
        post_migrate.connect(maintenance.on_post_migrate, sender=self, dispatch_uid="yj_optimize_migrate")
        connection_created.connect(maintenance.on_connection_created, dispatch_uid="yj_optimize_periodic")
