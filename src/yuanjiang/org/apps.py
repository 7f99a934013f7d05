from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "yuanjiang.org"
    verbose_name = "地区与组织"
