from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "yuanjiang.accounts"
    verbose_name = "用户与权限"

    def ready(self):
        from yuanjiang.accounts import accountlog

        accountlog.connect()
