from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "yuanjiang.claims"
    verbose_name = "数字核对"
