from django.apps import AppConfig


class CultureConfig(AppConfig):
    name = "yuanjiang.culture"
    verbose_name = "文化旅游与交流交往交融"
