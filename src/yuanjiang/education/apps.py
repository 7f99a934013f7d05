from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "yuanjiang.education"
    verbose_name = "教育援疆"
