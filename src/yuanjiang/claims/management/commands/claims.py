"""``yuanjiang claims check FILE [--demo] --program SLUG | --org SLUG [--period START:END]
[--date YYYY-MM-DD] [--format json|html]`` — hold a text against the records.

(``yuanjiang claims extract`` is handled by cnnum without Django, see yuanjiang/cli.py.)
"""

import datetime as dt
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from yuanjiang.claims import reading
from yuanjiang.claims.services import check_text
from yuanjiang.claims.views import render_context, standalone_css
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.models import Organization, Program
from yuanjiang.org.periods import Period, PeriodError, since_term_start


class Command(BaseCommand):
    help = "核对文本中的数字表述与台账记录 · Check a text's numeric claims against the records"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="hold a text's numeric claims against the records")
        check.add_argument("file", metavar="FILE", help="UTF-8 .txt or .docx file; - for stdin")
        target = check.add_mutually_exclusive_group(required=True)
        target.add_argument("--program", help="program slug, e.g. nantong-yining-11")
        target.add_argument("--org", help="organization slug: a roll-up text")
        check.add_argument("--period", help="START:END, YYYY or YYYYQn; default: since term start")
        check.add_argument("--date", help="the text's date, YYYY-MM-DD (for 今年, 去年8月)")
        check.add_argument("--format", choices=["json", "html"], default="json")

    def handle(
        self,
        *args,
        action=None,
        file=None,
        program=None,
        org=None,
        period=None,
        date=None,
        format="json",
        **options,
    ):
        text = self._read(file)
        text_date = None
        if date:
            try:
                text_date = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"无法识别的日期“{date}”，格式应为 YYYY-MM-DD。") from None
        if program:
            target = (
                Program.objects.select_related("provider", "recipient_region").filter(slug=program).first()
            )
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
                chosen = Period.parse(period)
            elif program:
                from yuanjiang.claims.markup import strip_markup
                from yuanjiang.claims.periods import inferred_date
                from yuanjiang.claims.periods import text_date as text_found_date

                as_of = text_date or text_found_date(text)
                if as_of is None:  # the text's year from the term (自去年4月进疆), not today's calendar
                    inferred = inferred_date(strip_markup(text), target)
                    as_of = inferred[0] if inferred else None
                chosen = since_term_start(target, as_of)
            else:
                raise CommandError("按组织机构汇总时须指定 --period。")
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        from yuanjiang.claims.periods import text_date as found_date

        result = check_text(text, scope, chosen, text_date or found_date(text))
        for warning in result.warnings:
            self.stderr.write(f"注意：{warning}")
        if format == "json":
            self.stdout.write(json.dumps(result.items, ensure_ascii=False, indent=2))
        else:
            ctx = render_context(text, result)
            ctx["css"] = standalone_css()
            self.stdout.write(render_to_string("claims/report_standalone.html", ctx))

    def _read(self, name: str) -> str:
        try:
            if name == "-":
                data = sys.stdin.buffer.read(reading.MAX_BYTES + 1)
                return reading.text_from_bytes(data, "标准输入")
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"文件不存在或不是普通文件：{name}")
            size = path.stat().st_size
            if size > reading.MAX_BYTES:
                raise CommandError(f"文件过大：{name}（{size} 字节），上限为 {reading.MAX_BYTES} 字节。")
            return reading.text_from_bytes(path.read_bytes(), path.name)
        except reading.TextError as exc:
            raise CommandError(str(exc)) from None
