from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "yuanjiang.claims"
    url_prefix = "claims/"  # where config/urls.py includes its urls.py
    verbose_name = "数字核对"
