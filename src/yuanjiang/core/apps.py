from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yuanjiang.core"
    verbose_name = "平台"

    def ready(self):
        from yuanjiang.core import changelog

        changelog.connect()

        from django.contrib.auth.signals import user_logged_in

        from yuanjiang.core.security import stamp_session

        user_logged_in.connect(stamp_session, dispatch_uid="yj_session_stamp")
