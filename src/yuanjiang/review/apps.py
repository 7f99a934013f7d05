from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "yuanjiang.review"
    verbose_name = "审核与结账"

    def ready(self):
        from yuanjiang.review import guard

        guard.connect()
