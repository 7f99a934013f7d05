from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "yuanjiang.projects"
    verbose_name = "援疆项目"
