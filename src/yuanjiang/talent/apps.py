from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "yuanjiang.talent"
    verbose_name = "智力援疆"
