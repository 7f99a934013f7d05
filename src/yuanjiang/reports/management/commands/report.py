import sys

from django.core.management.base import BaseCommand, CommandError

from yuanjiang.metrics.scope import Scope
from yuanjiang.org.models import Organization, Program
from yuanjiang.org.periods import PeriodError, since_term_start, since_terms_start
from yuanjiang.org.periods import parse as parse_period
from yuanjiang.reports import definition as defs
from yuanjiang.reports import render, services


class Command(BaseCommand):
    help = "生成成绩单（援疆项目组或组织机构、统计期）· Render a report card for a program or an organization and a period."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--program", help="program slug, e.g. nantong-yining-11")
        target.add_argument("--org", help="organization slug: the report card over every program under it")
        parser.add_argument(
            "--period", help="START:END (ISO dates), YYYY or YYYYQn; default: since term start"
        )
        parser.add_argument(
            "--definition",
            help="definition name (default: the program's own, chosen at its set-up; else default)",
        )
        parser.add_argument("--format", choices=list(render.FORMATS), default="json")
        parser.add_argument(
            "-o", "--output", help="file to write (default: standard output, text formats only)"
        )

    def handle(
        self, *args, program=None, org=None, period=None, definition=None, format="json", output=None, **o
    ):
        if program:
            target = Program.objects.select_related("provider").filter(slug=program).first()
            if target is None:
                known = ", ".join(Program.objects.values_list("slug", flat=True)) or "（无）"
                raise CommandError(f"没有标识为“{program}”的援疆项目组。已有：{known}")
            scope = Scope(program=target)
        else:
            target = Organization.objects.filter(slug=org).first()
            if target is None:
                raise CommandError(f"没有标识为“{org}”的组织机构。")
            scope = Scope(organization=target)
        try:
            if period:
                chosen = parse_period(
                    period,
                    program=target if program else None,
                    since=None if program else since_terms_start(scope.programs()),
                )
            elif program:
                chosen = since_term_start(target)
            else:
                raise CommandError("按组织机构汇总时须指定 --period。")
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        try:
            loaded = defs.load(definition or defs.default_name(scope))
        except defs.DefinitionError as exc:
            raise CommandError(str(exc)) from None
        if output is None and format in ("docx", "pdf", "xlsx"):
            raise CommandError(f"{format} 是二进制格式，请用 -o 文件名 指定输出文件。")
        report = services.report_build(loaded, scope, chosen)
        try:
            content = render.render(report, format)
        except render.RenderError as exc:
            raise CommandError(str(exc)) from None
        if output is None or output == "-":
            self.stdout.write(content.decode("utf-8"))
            return
        try:
            with open(output, "wb") as fh:
                fh.write(content)
        except OSError as exc:
            raise CommandError(f"无法写入“{output}”：{exc.strerror}") from None
        sys.stderr.write(f"已生成 {output}（{len(content)} 字节）\n")
