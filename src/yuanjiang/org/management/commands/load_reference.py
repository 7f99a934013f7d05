from django.core.management.base import BaseCommand

from yuanjiang.core.context import acting_as
from yuanjiang.org.models import ReferenceRelease
from yuanjiang.org.services import reference_load


class Command(BaseCommand):
    help = (
        "载入或更新参考数据（新疆行政区划至乡级、19个援疆省市及其结对关系、江苏援疆组织）"
        " · Load or update the reference regions and aid organizations (idempotent)."
    )

    def handle(self, *args, **options):
        with acting_as(None, source="command:load_reference"):
            result = reference_load()
        self.stdout.write(
            f"参考数据已载入：新增行政区划{result.regions}个，更名{result.renamed}个，"
            f"改码{result.recoded}个，停用{result.ended}个；新增组织机构{result.organizations}个。"
        )
        for release in ReferenceRelease.objects.filter(key__in=result.releases):
            self.stdout.write(
                f"版本：{release.title}（{release.key}，截止{release.cutoff}，{release.rows}条）"
            )
