from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "yuanjiang.review"
    url_prefix = "review/"  # where config/urls.py includes its urls.py
    verbose_name = "审核与结账"

    def ready(self):
        from yuanjiang.kernel import hooks
        from yuanjiang.review import guard
        from yuanjiang.review.models import Reviewable, back_to_draft

        guard.connect()  # closed periods: records and figures (order 10: refuse first)
        hooks.register(Reviewable, before=back_to_draft, order=50)
