from django.apps import AppConfig


class CultureConfig(AppConfig):
    name = "yuanjiang.culture"
    url_prefix = "culture/"  # where config/urls.py includes its urls.py
    verbose_name = "文化旅游与交流交往交融"
