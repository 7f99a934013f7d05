import json

from django.core.management.base import BaseCommand, CommandError

from yuanjiang.metrics import registry
from yuanjiang.metrics.scope import Scope
from yuanjiang.org import periods
from yuanjiang.org.models import Organization, Program
from yuanjiang.org.periods import PeriodError, since_term_start
from yuanjiang.review.choices import COUNTS

# Exit status of a bad request (unknown program, unreadable period, unknown metric), like HTTP 400.
BAD_REQUEST = 2


class Command(BaseCommand):
    help = "计算指标（援疆项目组或组织机构、统计期）· Compute metrics for a program or an organization and a period."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--program", help="program slug, e.g. nantong-yining-11")
        target.add_argument("--org", help="organization slug: every program under it")
        parser.add_argument(
            "--period",
            help="2024, 2024年, 2024Q2, 2024年第二季度, 2024-05, 2024年5月, START:END, 首年, 第二年, 进疆以来 "
            "(default: 进疆以来, since the term start)",
        )
        parser.add_argument(
            "--metric", action="append", dest="codes", help="metric code (repeatable); default all"
        )
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument(
            "--review",
            choices=sorted(COUNTS),
            help="approved: count only 已审核 records; all: every record; default: each metric's own default",
        )

    def handle(
        self, *args, program=None, org=None, period=None, codes=None, format="text", review=None, **options
    ):
        if program:
            try:
                target = Program.objects.select_related("provider").get(slug=program)
            except Program.DoesNotExist:
                known = ", ".join(Program.objects.values_list("slug", flat=True)) or "（无）"
                raise CommandError(
                    f"没有标识为“{program}”的援疆项目组。已有：{known}", returncode=BAD_REQUEST
                ) from None
            scope = Scope(program=target)
        else:
            try:
                target = Organization.objects.get(slug=org)
            except Organization.DoesNotExist:
                raise CommandError(f"没有标识为“{org}”的组织机构。", returncode=BAD_REQUEST) from None
            scope = Scope(organization=target)
        since = since_term_start(target) if program else periods.since_terms_start(scope.programs())
        try:
            if period:
                chosen = periods.parse(period, program=target if program else None, since=since)
            else:
                chosen = since
        except PeriodError as exc:
            raise CommandError(str(exc), returncode=BAD_REQUEST) from None
        try:
            figures = registry.evaluate(codes, scope, chosen, review=review)
        except KeyError as exc:
            raise CommandError(exc.args[0], returncode=BAD_REQUEST) from None
        if format == "json":
            payload = {
                "program" if program else "organization": target.slug,
                "period": chosen.as_dict(),
                "period_label": str(chosen),
                "review": review or "default",
                "metrics": {code: figure.as_dict() for code, figure in figures.items()},
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        from yuanjiang.common.formatting import exact

        counted = COUNTS[review] if review else "按各指标默认口径"
        self.stdout.write(f"{target}  {chosen}（{chosen.token}）  审核口径：{counted}")
        notes = []
        for code, figure in figures.items():
            shown = exact(figure.value, figure.metric.unit)
            if figure.value is None:
                shown = "—"
                notes.append(f"  — {figure.metric.label}：{figure.note}")
            self.stdout.write(f"  {figure.metric.label:<12}{shown:>16}   {code}")
        for note in notes:
            self.stdout.write(note)
