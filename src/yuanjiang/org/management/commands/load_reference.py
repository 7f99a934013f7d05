from django.core.management.base import BaseCommand

from yuanjiang.core.context import acting_as
from yuanjiang.org.services import reference_load


class Command(BaseCommand):
    help = "载入或更新参考数据（伊宁县乡镇、江苏援疆组织）· Load or update the reference regions and aid organizations."

    def handle(self, *args, **options):
        with acting_as(None, source="command:load_reference"):
            result = reference_load()
        self.stdout.write(
            f"参考数据已载入：新增行政区划{result.regions}个，新增组织机构{result.organizations}个。"
        )
