import sys

from django.core.management.base import BaseCommand, CommandError

from yuanjiang.api import iati
from yuanjiang.org.models import Program
from yuanjiang.projects.models import AidProject


class Command(BaseCommand):
    help = "导出援疆项目的 IATI 2.03 活动文件并按官方 XSD 校验 · export a program's aid projects as IATI 2.03 XML"

    def add_arguments(self, parser):
        parser.add_argument("--program", required=True, help="program slug, e.g. nantong-yining-11")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, program=None, output=None, **options):
        target = Program.objects.filter(slug=program).first()
        if target is None:
            known = ", ".join(Program.objects.values_list("slug", flat=True)) or "（无）"
            raise CommandError(f"没有标识为“{program}”的援疆项目组。已有：{known}")
        tree = iati.build(AidProject.objects.filter(program=target))
        problems = iati.validate(tree) + iati.code_errors(tree)
        if problems:
            raise CommandError("生成的 IATI 文件未通过校验：\n" + "\n".join(problems[:20]))
        data = iati.to_bytes(tree)
        if output:
            with open(output, "wb") as fh:
                fh.write(data)
            count = len(tree.getroot())
            self.stderr.write(
                f"已写入 {output}：{count} 个活动（援疆项目），已按 IATI 2.03 XSD 与代码表校验。"
            )
        else:
            sys.stdout.buffer.write(data)
