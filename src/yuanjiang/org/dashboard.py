"""What a program's dashboard shows beyond its figures: the headline figures with their targets, the
charts (drawn by ECharts in the browser from the specs built here), the township grid and the recent
changes. Every chart element carries the URL of the records behind it (a list page filtered by the
model's one FilterSet, or a figure's records page), so a click opens exactly what was counted.

Each chart is one aggregate query over the program's records, whatever their number (asserted by
tests/test_dashboard.py). Charts count the records as entered (review state aside), as the list pages
they open list them; the figures above them follow the page's 审核口径.
"""

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.urls import NoReverseMatch, reverse

from yuanjiang.common import formatting
from yuanjiang.metrics import registry
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.periods import Period

# The dozen figures a work group is judged by, in the order they are read (the rest is folded below).
HEADLINE_METRICS = [
    "projects.count",
    "projects.started_rate",
    "projects.completed_rate",
    "projects.aid_funds_planned",
    "projects.disbursement_rate",
    "investment.projects_signed",
    "investment.signed_planned_investment",
    "investment.projects_landed",
    "talent.visit_person_times",
    "training.person_times",
    "health.free_clinic_beneficiaries",
    "education.fund_donations",
]

# The investment pipeline (对接 → 拜访 → 签约 → 落户 → 投产): each bar is a figure, opening its records.
PIPELINE_METRICS = [
    "investment.enterprises_contacted",
    "investment.institutions_visited",
    "investment.projects_signed",
    "investment.projects_landed",
    "investment.projects_operating",
]


@dataclass
class Headline:
    figure: registry.Figure
    target: Decimal | None = None

    @property
    def completion(self) -> Decimal | None:
        """The figure over its target (None without a target or a value)."""
        if not self.target or self.figure.value is None:
            return None
        return self.figure.value / self.target

    @property
    def completion_percent(self) -> int | None:
        c = self.completion
        return None if c is None else int((c * 100).to_integral_value())

    @property
    def bar_percent(self) -> int:
        return max(0, min(100, self.completion_percent or 0))

    @property
    def target_text(self) -> str:
        return formatting.exact(self.target, self.figure.metric.unit) if self.target is not None else ""


@dataclass
class Chart:
    """A chart spec, serialised to JSON for static/yj/charts.js: `kind` (bar, stacked, line), the
    categories, and series whose points are {"value", "url"}."""

    key: str
    title: str
    kind: str
    categories: list[str]
    series: list[dict] = field(default_factory=list)
    unit: str = ""
    note: str = ""

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "kind": self.kind,
            "categories": self.categories,
            "series": self.series,
            "unit": self.unit,
        }

    @property
    def total(self):
        return sum(p["value"] for s in self.series for p in s["data"] if p["value"] is not None)

    @property
    def summary(self) -> str:
        """What the chart shows, in words (its accessible name)."""
        parts = []
        for s in self.series:
            values = [
                f"{c}{p['value']}" for c, p in zip(self.categories, s["data"], strict=False) if p["value"]
            ]
            parts.append(f"{s['name']}：{'，'.join(values[:12]) or '无'}")
        return f"{self.title}。" + "；".join(parts)


def wanted_codes(section_codes: list[str]) -> list[str]:
    """Every figure the dashboard shows (its sections', the headline's and the pipeline's), evaluated
    together in one call."""
    return list(dict.fromkeys([*section_codes, *HEADLINE_METRICS, *PIPELINE_METRICS]))


def headlines(figures: dict[str, registry.Figure], targets: dict[str, Decimal]) -> list[Headline]:
    return [Headline(figures[c], targets.get(c)) for c in HEADLINE_METRICS if c in figures]


def _url(name: str, **params) -> str:
    return reverse(name) + "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _months(period: Period) -> list[dt.date]:
    months, day = [], period.start.replace(day=1)
    while day <= period.end and len(months) < 120:
        months.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def _month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _month_key(value) -> dt.date:
    return (value.date() if isinstance(value, dt.datetime) else value).replace(day=1)


def funds_chart(program, period: Period) -> Chart:
    """援疆资金 下达 and 拨付, cumulative by month over the period: one query."""
    from yuanjiang.projects.choices import TransactionKind
    from yuanjiang.projects.models import FundTransaction

    months = _months(period)
    # one grouped query by kind and month
    rows = (
        FundTransaction.objects.filter(
            project__program=program,
            kind__in=[TransactionKind.COMMITMENT, TransactionKind.DISBURSEMENT],
            date__gte=period.start,
            date__lte=period.end,
        )
        .annotate(month=TruncMonth("date"))
        .values("kind", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    totals = {(r["kind"], _month_key(r["month"])): r["total"] for r in rows}
    series = []
    for kind, name in ((TransactionKind.COMMITMENT, "下达（计划）"), (TransactionKind.DISBURSEMENT, "拨付")):
        running, data = Decimal(0), []
        for m in months:
            running += totals.get((kind, m), 0)
            data.append(
                {
                    "value": float(running / 10000),
                    "url": _url(
                        "projects:fundtransaction_list",
                        program=program.slug,
                        kind=kind,
                        date_after=m.isoformat(),
                        date_before=_month_end(m).isoformat(),
                    ),
                }
            )
        series.append({"name": name, "data": data})
    return Chart(
        key="funds",
        title="援疆资金下达与拨付（累计，万元）",
        kind="line",
        categories=[f"{m:%Y-%m}" for m in months],
        series=series,
        unit="万元",
        note="按月累计；点击某月打开当月的资金记录。",
    )


def projects_chart(program, on: dt.date) -> Chart:
    """The program's projects by category and status (as of `on`): one grouped query."""
    from yuanjiang.projects.choices import Category, Status
    from yuanjiang.projects.models import AidProject
    from yuanjiang.projects.status import status_expression

    rows = (
        AidProject.objects.filter(program=program)
        .annotate(st=status_expression(on))
        .values("category", "st")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {(r["category"], r["st"]): r["n"] for r in rows}
    categories = [c for c in Category if any(k[0] == c for k in counts)]
    series = []
    for status in Status:
        if not any(k[1] == status for k in counts):
            continue
        series.append(
            {
                "name": status.label,
                "data": [
                    {
                        "value": counts.get((c.value, status.value), 0),
                        "url": _url(
                            "projects:aidproject_list",
                            program=program.slug,
                            category=c.value,
                            status=status.value,
                        ),
                    }
                    for c in categories
                ],
            }
        )
    return Chart(
        key="projects",
        title="援疆项目（按类别和状态）",
        kind="stacked",
        categories=[c.label for c in categories],
        series=series,
        unit="个",
        note="截至今天的项目状态；点击打开该类别、该状态的项目。",
    )


def pipeline_chart(figures: dict[str, registry.Figure], scope: Scope, period: Period) -> Chart:
    """The investment pipeline from the figures already computed: no query of its own."""
    from yuanjiang.common.templatetags.yj import metric_url

    codes = [c for c in PIPELINE_METRICS if c in figures]
    return Chart(
        key="pipeline",
        title="招商引资进展（对接 → 拜访 → 签约 → 落户 → 投产）",
        kind="bar",
        categories=[figures[c].metric.label for c in codes],
        series=[
            {
                "name": "数量",
                "data": [
                    {"value": float(figures[c].value or 0), "url": metric_url(c, scope, period), "code": c}
                    for c in codes
                ],
            }
        ],
        note="每一项即上方的指标；点击打开其记录。",
    )


def activity_chart(program, period: Period) -> Chart:
    """Training person-times (by course start) and 义诊 beneficiaries by month: two grouped queries."""
    from yuanjiang.health.choices import ActivityKind
    from yuanjiang.health.models import MedicalActivity
    from yuanjiang.talent.models import TrainingCourse

    months = _months(period)
    training = {
        _month_key(r["month"]): r["n"]
        for r in TrainingCourse.objects.filter(
            program=program, start__gte=period.start, start__lte=period.end
        )
        .annotate(month=TruncMonth("start"))
        .values("month")
        .annotate(n=Sum("participants"))
        .order_by()
    }
    clinics = {
        _month_key(r["month"]): r["n"]
        for r in MedicalActivity.objects.filter(
            program=program, kind=ActivityKind.FREE_CLINIC, date__gte=period.start, date__lte=period.end
        )
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(n=Sum("beneficiaries"))
        .order_by()
    }
    series = [
        {
            "name": "培训人次",
            "data": [
                {
                    "value": training.get(m, 0),
                    "url": _url(
                        "talent:trainingcourse_list",
                        program=program.slug,
                        start_after=m.isoformat(),
                        start_before=_month_end(m).isoformat(),
                    ),
                }
                for m in months
            ],
        },
        {
            "name": "义诊受益人次",
            "data": [
                {
                    "value": clinics.get(m, 0),
                    "url": _url(
                        "health:medicalactivity_list",
                        program=program.slug,
                        kind=ActivityKind.FREE_CLINIC,
                        date_after=m.isoformat(),
                        date_before=_month_end(m).isoformat(),
                    ),
                }
                for m in months
            ],
        },
    ]
    return Chart(
        key="activity",
        title="培训人次与义诊受益人次（按月）",
        kind="bar",
        categories=[f"{m:%Y-%m}" for m in months],
        series=series,
        unit="人次",
        note="点击某月打开当月的培训班或义诊记录。",
    )


def exams_chart(program) -> Chart | None:
    """试点班 versus 对照班 over exams: the difference of means with its 95 % interval (education's own
    comparison: education.comparison, one query), for the first school and cohort with both; each point
    opens the comparison page of that school and subject."""
    from yuanjiang.education import comparison
    from yuanjiang.education.models import ExamResult

    groups = comparison.compare(
        comparison.results_for(ExamResult.objects.filter(teaching_class__school__program=program))
    )
    group = next((g for g in groups if g.by_subject()), None)
    if group is None:
        return None
    exams: list[tuple] = []
    for row in group.rows:
        if row.comparison is not None and (row.exam_date, row.exam_name) not in exams:
            exams.append((row.exam_date, row.exam_name))
    exams.sort()
    series = []
    for label, rows in group.by_subject():
        by_exam = {(r.exam_date, r.exam_name): r for r in rows}
        subject = rows[0].subject
        url = _url("education:comparison", program=program.pk, school=group.school.pk, subject=subject)
        data = []
        for key in exams:
            r = by_exam.get(key)
            c = r.comparison if r else None
            data.append(
                {"value": None, "url": url}
                if c is None
                else {
                    "value": round(c.difference, 2),
                    "low": round(c.low, 2),
                    "high": round(c.high, 2),
                    "url": url,
                }
            )
        series.append({"name": label, "data": data})
    return Chart(
        key="exams",
        title=f"{group.school} {group.cohort}级：试点班减对照班平均分（95%置信区间）",
        kind="interval",
        categories=[name for _, name in exams],
        series=series,
        unit="分",
        note="竖线为95%置信区间，跨过0即无显著差异；点击打开该科目的对比页。",
    )


@dataclass
class TownshipCell:
    township: object
    projects: int
    clinics: int

    @property
    def activity(self) -> int:
        return self.projects + self.clinics

    def level(self, top: int) -> int:
        """0–4: the colour of the cell, relative to the busiest township."""
        if not self.activity or not top:
            return 0
        return 1 + min(3, (3 * self.activity) // top)


def township_grid(program, period: Period, townships) -> list[TownshipCell]:
    """Each township of the county with its projects and 义诊 in the period: two grouped queries."""
    from yuanjiang.health.choices import ActivityKind
    from yuanjiang.health.models import MedicalActivity
    from yuanjiang.projects.models import AidProject

    projects = dict(
        AidProject.objects.filter(program=program, township__isnull=False)
        .values("township")
        .annotate(n=Count("id"))
        .values_list("township", "n")
        .order_by()
    )
    clinics = dict(
        MedicalActivity.objects.filter(
            program=program,
            kind=ActivityKind.FREE_CLINIC,
            township__isnull=False,
            date__gte=period.start,
            date__lte=period.end,
        )
        .values("township")
        .annotate(n=Count("id"))
        .values_list("township", "n")
        .order_by()
    )
    return [TownshipCell(t, projects.get(t.pk, 0), clinics.get(t.pk, 0)) for t in townships]


@dataclass
class Change:
    time: dt.datetime
    actor: str
    action: str
    model: str
    record: str
    url: str


def recent_changes(program, limit: int = 8) -> list[Change]:
    """The latest changes to the program's records (who, what, when): one query, and those that read
    back the text an update does not store (core.history.fill). A new record is named by its kind and
    number, and links to it."""
    from yuanjiang.core.models import ObjectChange

    out = []
    entries = ObjectChange.objects.filter(program=program).select_related("changeset", "content_type")
    from yuanjiang.core import history

    for c in history.fill(entries.order_by("-id")[:limit], creates=False):
        model = c.content_type.model_class()
        url = ""
        if model is not None and c.action != "delete":
            try:
                url = reverse(f"{c.content_type.app_label}:{c.content_type.model}_detail", args=[c.object_id])
            except NoReverseMatch:
                url = ""
        out.append(
            Change(
                time=c.changeset.time,
                actor=c.changeset.actor_name or "系统",
                action=c.get_action_display(),
                model=str(model._meta.verbose_name) if model else c.content_type.model,
                record=c.object_repr or f"#{c.object_id}",  # a create's: not read back
                url=url,
            )
        )
    return out
