from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "yuanjiang.talent"
    url_prefix = "talent/"  # where config/urls.py includes its urls.py
    verbose_name = "智力援疆"

    def ready(self):
        from yuanjiang.kernel import hooks
        from yuanjiang.talent.models import TrainingCourse, refuse_overspent_course

        hooks.register(TrainingCourse, before=refuse_overspent_course, order=60)
