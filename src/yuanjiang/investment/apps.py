from django.apps import AppConfig


class InvestmentConfig(AppConfig):
    name = "yuanjiang.investment"
    url_prefix = "investment/"  # where config/urls.py includes its urls.py
    verbose_name = "产业援疆"
