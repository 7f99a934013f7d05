"""Early warning (预警) over targets (年度目标任务, docs/warnings.md): a target behind pace."""

from decimal import Decimal

from yuanjiang.common import formatting
from yuanjiang.metrics import registry as metrics
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.models import Organization
from yuanjiang.org.periods import Period
from yuanjiang.reports.models import Target
from yuanjiang.reports.services import RATE_UNITS
from yuanjiang.warnings.registry import WARNING, Finding, Rule, register

PACE_MARGIN = Decimal("0.10")  # 10 percentage points behind the elapsed share are tolerated


def _all_programs_scope(programs) -> Scope:
    """A scope over exactly `programs`, whatever organizations they belong to: the root of every
    organization path ("/"), restricted to them."""
    return Scope(organization=Organization(slug="", name="", path="/"), visible=programs)


def target_behind(programs, on):
    """Targets whose period contains `on`: the figure from the period start to `on`, over the target,
    against the share of the period elapsed less PACE_MARGIN. Targets of a rate are judged at their
    value, not at a pace (a rate does not accumulate). One evaluation per distinct target period, of
    all the programs together (grouped by program), so the queries never grow with the records."""
    targets = list(
        Target.objects.filter(program__in=programs, period_start__lte=on, period_end__gte=on, value__gt=0)
        .select_related("program")
        .order_by("period_start", "period_end", "program_id", "metric")
    )
    by_period: dict[tuple, list[Target]] = {}
    for t in targets:
        try:
            metrics.get(t.metric)
        except KeyError:
            continue
        by_period.setdefault((t.period_start, t.period_end), []).append(t)
    scope = _all_programs_scope(programs)
    for (start, end), group in by_period.items():
        so_far = Period(start, on)
        values = metrics.evaluate_by_program(sorted({t.metric for t in group}), scope, so_far)
        elapsed = Decimal((on - start).days + 1) / Decimal((end - start).days + 1)
        for t in group:
            metric = metrics.get(t.metric)
            value = values.get(t.program_id, {}).get(t.metric)
            if value is None:
                continue
            rate = metric.unit in RATE_UNITS
            expected = Decimal(1) if rate else elapsed
            completion = Decimal(value) / t.value
            if completion >= expected - PACE_MARGIN:
                continue
            yield Finding(
                program_id=t.program_id,
                records=[t],
                since=start,
                detail=(
                    f"{metric.label}目标{formatting.exact(t.value, metric.unit)}，截至{formatting.date(on)}为"
                    f"{formatting.exact(value, metric.unit)}（完成{completion:.0%}）"
                    + ("" if rate else f"，按时序应达{elapsed:.0%}（允许落后{PACE_MARGIN:.0%}）")
                ),
                facts=(t.value, start, end, value),
            )


register(
    Rule(
        code="reports.target_behind",
        label="目标任务进度落后",
        severity=WARNING,
        records="reports.Target",
        period_rule="统计期包含判断日的目标：从期初到判断日的完成数占目标的比例低于时间进度减去容差",
        find=target_behind,
        margin=PACE_MARGIN,
    )
)
