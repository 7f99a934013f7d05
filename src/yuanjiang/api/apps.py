from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "yuanjiang.api"
    url_prefix = "api/"  # where config/urls.py includes its urls.py
    label = "api"
    verbose_name = "接口（API）"
