from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "yuanjiang.education"
    url_prefix = "education/"  # where config/urls.py includes its urls.py
    verbose_name = "教育援疆"

    def ready(self):
        from yuanjiang.education import services
        from yuanjiang.education.models import FundDonation, FundGrant
        from yuanjiang.kernel import hooks

        for model in (FundDonation, FundGrant):
            hooks.register(model, before=services.refuse_overdraft, clean=services.clean_balance, order=60)
