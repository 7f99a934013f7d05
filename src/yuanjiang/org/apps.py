from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "yuanjiang.org"
    url_prefix = ""  # where config/urls.py includes its urls.py
    verbose_name = "地区与组织"
