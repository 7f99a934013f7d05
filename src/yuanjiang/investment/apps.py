from django.apps import AppConfig


class InvestmentConfig(AppConfig):
    name = "yuanjiang.investment"
    verbose_name = "产业援疆"
