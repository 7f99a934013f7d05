from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "yuanjiang.projects"
    url_prefix = "projects/"  # where config/urls.py includes its urls.py
    verbose_name = "援疆项目"
