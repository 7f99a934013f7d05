"""Early warnings (预警) over aid projects and their money (docs/warnings.md). Each rule reads all the
programs it is given in one query, as rows (`registry.rows`: a light Ref of each project, no model
instance). Facts are read as entered (whatever their review state): a warning is about what the
ledger says, before anyone approves it."""

import datetime as dt
from decimal import Decimal

from django.db.models import F, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from yuanjiang.common import formatting
from yuanjiang.projects.choices import TransactionKind
from yuanjiang.projects.models import AidProject, FundTransaction, ProgressReport
from yuanjiang.warnings.registry import NOTICE, SEVERE, WARNING, Finding, Ref, Rule, register, rows

DAY = dt.timedelta(days=1)
PROGRESS_SILENCE_DAYS = 30
DISBURSEMENT_MARGIN = Decimal("0.20")  # 20 percentage points of the year's elapsed share
ZERO = Decimal("0")
# What a warning shows of a project (its code, its name, its page): the rows are read with these
# fields only (a country's overdue projects are tens of thousands of rows).
SHOWN = ("id", "program_id", "code", "name")


def _not_reached(field: str, on: dt.date) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gt": on})


def start_overdue(programs, on):
    qs = AidProject.objects.filter(program__in=programs, planned_start__lt=on).filter(
        _not_reached("actual_start", on)
    )
    for p, planned in rows(qs.order_by("planned_start", "id"), SHOWN, "planned_start"):
        yield Finding(
            program_id=p.program_id,
            records=[p],
            since=planned + DAY,
            detail=f"计划{formatting.date(planned)}开工，至今未开工",
            facts=(planned, "未开工"),
        )


def finish_overdue(programs, on):
    qs = AidProject.objects.filter(program__in=programs, planned_completion__lt=on).filter(
        _not_reached("actual_completion", on)
    )
    ordered = qs.order_by("planned_completion", "id")
    for p, planned, started in rows(ordered, SHOWN, "planned_completion", "actual_start"):
        state = "在建" if started and started <= on else "未开工"
        yield Finding(
            program_id=p.program_id,
            records=[p],
            since=planned + DAY,
            detail=f"计划{formatting.date(planned)}完工，至今仍为{state}",
            facts=(planned, state),
        )


def progress_silent(programs, on):
    last = (
        ProgressReport.objects.filter(project=OuterRef("pk"), report_date__lte=on)
        .order_by()
        .values("project")
        .annotate(m=Max("report_date"))
        .values("m")
    )
    cutoff = on - dt.timedelta(days=PROGRESS_SILENCE_DAYS)
    qs = (
        AidProject.objects.filter(program__in=programs, actual_start__lte=on)
        .filter(_not_reached("actual_completion", on))
        .annotate(last_report=Subquery(last))
        .filter(Q(last_report__lt=cutoff) | Q(last_report__isnull=True, actual_start__lt=cutoff))
    )
    for p, started, last_report in rows(qs.order_by("id"), SHOWN, "actual_start", "last_report"):
        since_day = (last_report or started) + dt.timedelta(days=PROGRESS_SILENCE_DAYS + 1)
        detail = (
            f"最近一次进度填报为{formatting.date(last_report)}，已超过{PROGRESS_SILENCE_DAYS}天"
            if last_report
            else f"{formatting.date(started)}开工以来没有进度填报"
        )
        yield Finding(
            program_id=p.program_id, records=[p], since=since_day, detail=detail, facts=(last_report,)
        )


def disbursement_behind(programs, on):
    """The year's planned projects (plan year = the year of `on`): their 拨付 to date against their
    援疆资金, compared with the share of the year elapsed, less DISBURSEMENT_MARGIN."""
    year_start = dt.date(on.year, 1, 1)
    elapsed = Decimal((on - year_start).days + 1) / Decimal((dt.date(on.year, 12, 31) - year_start).days + 1)
    pace = elapsed - DISBURSEMENT_MARGIN
    if pace <= 0:
        return
    disbursed = (
        FundTransaction.objects.filter(
            project=OuterRef("pk"), kind=TransactionKind.DISBURSEMENT, date__lte=on
        )
        .order_by()
        .values("project")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    qs = (
        AidProject.objects.filter(program__in=programs, plan_year=on.year, aid_funds__gt=0)
        .annotate(disbursed=Coalesce(Subquery(disbursed), ZERO))
        .order_by("program_id", "id")
    )
    by_program: dict[int, list] = {}
    for p, funds, disbursed in rows(qs, SHOWN, "aid_funds", "disbursed"):
        by_program.setdefault(p.program_id, []).append((p, funds, disbursed))
    for program_id, projects in by_program.items():
        planned = sum((funds for _, funds, _ in projects), ZERO)
        done = sum((disbursed for _, _, disbursed in projects), ZERO)
        share = done / planned
        if share >= pace:
            continue
        behind = [p for p, funds, disbursed in projects if disbursed / funds < pace]
        yield Finding(
            program_id=program_id,
            records=behind,
            since=year_start,
            detail=(
                f"{on.year}年度计划项目援疆资金{formatting.money(planned)}，已拨付{formatting.money(done)}"
                f"（{share:.0%}），按时序应达{elapsed:.0%}（允许落后{DISBURSEMENT_MARGIN:.0%}）"
            ),
            facts=(on.year, planned, done, tuple(p.pk for p in behind)),
        )


def spending_over_funds(programs, on):
    """A project whose 支出 exceeds what was disbursed to it (拨付): money spent that never arrived.
    One grouped query over the transactions, by project (with the project's shown columns)."""

    def total(kind):
        return Coalesce(Sum("amount", filter=Q(kind=kind)), ZERO)

    shown = {f"project__{f}" if f != "id" else "project": f for f in SHOWN}  # the project's columns
    grouped = (
        FundTransaction.objects.filter(
            project__program__in=programs,
            kind__in=[TransactionKind.EXPENDITURE, TransactionKind.DISBURSEMENT],
            date__lte=on,
        )
        .values(*shown)
        .annotate(spent=total(TransactionKind.EXPENDITURE), received=total(TransactionKind.DISBURSEMENT))
        .filter(spent__gt=F("received"))
        .order_by("project")
    )
    for row in grouped:  # one query: the grouping carries what a warning shows of its project
        p = Ref(AidProject, row["project"], {f: row[k] for k, f in shown.items()}, db=grouped.db)
        spent, received = row["spent"], row["received"]
        yield Finding(
            program_id=p.program_id,
            records=[p],
            since=on,
            detail=f"支出{formatting.money(spent)}，超过已拨付的{formatting.money(received)}",
            facts=(spent, received),
        )


register(
    Rule(
        code="projects.start_overdue",
        label="项目逾期未开工",
        severity=WARNING,
        records="projects.AidProject",
        period_rule="计划开工日期已过、截至判断日仍未开工的项目",
        find=start_overdue,
    )
)
register(
    Rule(
        code="projects.finish_overdue",
        label="项目逾期未完工",
        severity=SEVERE,
        records="projects.AidProject",
        period_rule="计划完工日期已过、截至判断日仍未完工的项目",
        find=finish_overdue,
    )
)
register(
    Rule(
        code="projects.progress_silent",
        label="在建项目超过30天未填报进度",
        severity=NOTICE,
        records="projects.AidProject",
        period_rule=f"截至判断日在建、最近{PROGRESS_SILENCE_DAYS}天内没有进度填报的项目",
        find=progress_silent,
        margin=PROGRESS_SILENCE_DAYS,
    )
)
register(
    Rule(
        code="projects.disbursement_behind",
        label="年度资金拨付进度落后",
        severity=WARNING,
        records="projects.AidProject",
        period_rule="判断日所在年度的计划项目：已拨付占援疆资金的比例低于年度已过时间比例减去容差",
        find=disbursement_behind,
        margin=DISBURSEMENT_MARGIN,
    )
)
register(
    Rule(
        code="projects.spending_over_funds",
        label="项目支出超过到位资金",
        severity=SEVERE,
        records="projects.AidProject",
        period_rule="截至判断日的支出合计大于拨付合计的项目",
        find=spending_over_funds,
    )
)
