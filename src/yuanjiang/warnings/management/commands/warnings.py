import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from yuanjiang.common import formatting
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.models import Organization, Program
from yuanjiang.warnings import services

BAD_REQUEST = 2


class Command(BaseCommand):
    help = (
        "预警（援疆项目组或组织机构）· Early warnings of a program or of every program under an organization."
    )

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--program", help="program slug, e.g. nantong-yining-11")
        target.add_argument("--org", help="organization slug: every program under it")
        parser.add_argument("--date", help="judge as of this date, YYYY-MM-DD (default: today)")
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument(
            "--all", action="store_true", dest="include_acknowledged", help="include acknowledged warnings"
        )

    def handle(
        self, *args, program=None, org=None, date=None, format="text", include_acknowledged=False, **opts
    ):
        if program:
            programs = list(Program.objects.filter(slug=program))
            if not programs:
                known = ", ".join(Program.objects.values_list("slug", flat=True)) or "（无）"
                raise CommandError(
                    f"没有标识为“{program}”的援疆项目组。已有：{known}", returncode=BAD_REQUEST
                )
        else:
            try:
                organization = Organization.objects.get(slug=org)
            except Organization.DoesNotExist:
                raise CommandError(f"没有标识为“{org}”的组织机构。", returncode=BAD_REQUEST) from None
            programs = list(Scope(organization=organization).programs())
        on = None
        if date:
            try:
                on = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(
                    f"--date 应为 YYYY-MM-DD 格式的日期，例如 2024-08-16，而不是“{date}”。",
                    returncode=BAD_REQUEST,
                ) from None
        found = services.evaluate(programs, on=on, include_acknowledged=include_acknowledged)
        if format == "json":
            self.stdout.write(json.dumps([w.as_dict() for w in found], ensure_ascii=False, indent=2))
            return
        if not found:
            self.stdout.write("没有预警。")
            return
        for w in found:
            records = "、".join(getattr(r, "code", "") or str(r) for r in w.records[:5])
            more = f"等{len(w.records)}条" if len(w.records) > 5 else ""
            ack = f"  [已确认：{w.acknowledgement.note}]" if w.acknowledged else ""
            self.stdout.write(
                f"[{w.severity_label}] {w.label}  {w.program}  {records}{more}  "
                f"自{formatting.date(w.since)}  {w.detail}  ({w.code}){ack}"
            )
