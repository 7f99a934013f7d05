"""The metric registry. Each domain app declares its metrics in its own `metrics.py`:

    from yuanjiang.metrics.registry import CountMetric, register
    register(CountMetric(code="projects.count", label="援疆项目数", unit="个", records=...))

`autodiscover()` imports every installed app's `metrics` module at start-up.

Counts and sums over the same records are computed together: `evaluate` and `evaluate_by_program`
group them by their records function (and what they count of reviewable records) and run ONE
aggregate query per group, each metric a filtered aggregate (`COUNT(*) FILTER (WHERE …)`,
`SUM(…) FILTER (WHERE …)`). A metric narrows the shared records with `where` (a `Q`); see
docs/metrics.md, "Metrics that share their records".
"""

import dataclasses
import datetime as dt
import decimal
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection, models
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.expressions import Col
from django.db.models.lookups import IsNull
from django.db.models.sql.constants import INNER
from django.db.models.sql.datastructures import Join
from django.db.models.sql.where import AND, WhereNode
from django.utils import timezone

from yuanjiang.common.discovery import app_modules
from yuanjiang.metrics import cache
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.periods import Period
from yuanjiang.review.choices import COUNTS, COUNTS_APPROVED, ReviewStatus

RecordsFn = Callable[[Scope, Period], QuerySet]
WhereFn = Callable[[Scope, Period], Q]

# How a metric reads a period (docs/metrics.md, "Period rules"). Every metric declares one.
FLOW = "flow"  # records dated in the period: money disbursed, activities, person-times, events
STOCK = "stock"  # the state as of the period end: workers in post, a fund's balance, completed so far
PLAN = "plan"  # the period's annual plans plus continuing projects (续建) not completed before it
PERIOD_RULES = {
    FLOW: "统计期内发生的记录（按记录日期计入）",
    STOCK: "截至统计期末的状态（时点数）",
    PLAN: "统计期内的年度计划项目及续建项目",
}


def review_filtered(queryset: QuerySet, counts: str) -> QuerySet:
    """Records of a Reviewable model limited to 已审核 ones when `counts` is "approved"."""
    from yuanjiang.review.models import Reviewable

    if counts == COUNTS_APPROVED and issubclass(queryset.model, Reviewable):
        return queryset.filter(review_status=ReviewStatus.APPROVED)
    return queryset


class _ReviewFiltered:
    """A metric's records function with the review filter applied: the scope's `review` when set,
    else the metric's declared `counts`. Wrapped once, centrally (Metric.__post_init__), so no
    records_fn filters by review itself and every metric class with a `records_fn` is covered."""

    def __init__(self, fn: RecordsFn, counts: str):
        self.fn = fn
        self.counts = counts

    def __call__(self, scope: Scope, period: Period) -> QuerySet:
        return review_filtered(self.fn(scope, period), scope.review or self.counts)

    def __eq__(self, other):
        return isinstance(other, _ReviewFiltered) and (self.fn, self.counts) == (other.fn, other.counts)

    def __hash__(self):
        return hash((self.fn, self.counts))


@dataclass(frozen=True)
class Figure:
    """A computed figure and what it was computed from."""

    metric: "Metric"
    value: Decimal | None  # None: no value (a rate whose denominator is 0), shown as —
    scope: Scope
    period: Period

    @property
    def code(self) -> str:
        return self.metric.code

    @property
    def note(self) -> str:
        """Why there is no value (the tooltip of —, the `note` of JSON); empty when there is one."""
        return self.metric.empty_note() if self.value is None else ""

    def as_dict(self) -> dict:
        value = self.value
        if value is None:
            number = None
        else:
            number = int(value) if value == value.to_integral_value() else float(value)
        result = {"value": number, "unit": self.metric.unit, "label": self.metric.label}
        if value is None:
            result["note"] = self.note
        if self.metric.reported:
            result["basis"] = REPORTED_LABEL
        return result


@dataclass(frozen=True)
class Metric:
    code: str
    label: str
    unit: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    period_rule: str = FLOW
    # Of reviewable records (review.Reviewable), what the figure counts by default: "approved"
    # (已审核 only) or "all". A page, the report card or the CLI may ask for the other (Scope.review).
    counts: str = COUNTS_APPROVED
    # How published texts are matched to this metric (the claims check, docs/metrics.md "Matching
    # claims"); every field is optional and defaulted.
    # The claim modalities (cnnum: actual / planned / expected / capacity / target) this figure checks:
    # a metric of signed projects' planned investment declares ("planned",).
    claim_modalities: tuple[str, ...] = ("actual",)
    # The metric holding the planned / expected figure for claims about the same thing (a planned
    # claim matched to this metric's phrases is checked against that one).
    planned_counterpart: str = ""
    # Entities (a park, a fund) the figure is about: the metric matches only sentences naming one of
    # them, and a sentence naming an entity some metric declares matches only metrics declaring it.
    entities: tuple[str, ...] = ()
    # Words whose presence in the sentence prefer this metric over others matched as well (签约).
    cues: tuple[str, ...] = ()
    # Other units texts state this figure in (学位, counted in 个, written 可容纳3000名学生 → 人).
    claim_units: tuple[str, ...] = ()
    # Words one of which the sentence must contain for this metric to match at all: a generic alias
    # (受益群众, 乡镇) then only counts where the text speaks of this activity (义诊).
    requires: tuple[str, ...] = ()
    # A metric whose value bounds this one from above (the county's reference townships): a claim above
    # it is flagged as contradicting the reference data, naming both numbers.
    reference_bound: str = ""
    # The figure is reference data (the county's townships), not a result: a differing claim
    # contradicts the reference data rather than over- or under-stating results.
    is_reference: bool = False

    def __post_init__(self):
        if self.counts not in COUNTS:
            raise ValueError(
                f"Metric {self.code}: counts must be one of {list(COUNTS)}, not {self.counts!r}."
            )
        fn = getattr(self, "records_fn", None)
        if fn is not None and not isinstance(fn, _ReviewFiltered):
            object.__setattr__(self, "records_fn", _ReviewFiltered(fn, self.counts))

    @property
    def period_rule_label(self) -> str:
        return PERIOD_RULES[self.period_rule]

    def empty_note(self) -> str:
        return "没有可计算的数据。"

    @property
    def reported(self) -> bool:
        """A figure supplied by another body (报送数), not computed from records: see ReportedMetric."""
        return False

    @property
    def counts_label(self) -> str:
        return COUNTS[self.counts]

    def counts_for(self, scope: Scope) -> str:
        """What this figure counts for that scope: the scope's review switch, else the default."""
        return scope.review or self.counts

    def records(self, scope: Scope, period: Period) -> QuerySet:
        """Provenance: the records this figure counts."""
        raise NotImplementedError

    def compute(
        self, scope: Scope, period: Period, known: dict[str, Decimal | None] | None = None
    ) -> Decimal | None:
        raise NotImplementedError

    def compute_by_program(
        self, scope: Scope, period: Period, known: dict | None = None
    ) -> dict[int, Decimal | None]:
        """The figure for each program of the scope, in one grouped query: {program id: value}."""
        raise NotImplementedError

    def empty_value(self) -> Decimal | None:
        """The value for a program without any record (0 for counts and sums, None for rates)."""
        return Decimal(0)

    def statement(self, scope: Scope, period: Period) -> QuerySet | None:
        """A metric computed by a query of its own may give it here (one row; `from_row` reads it), so
        that it is compiled once and run with each scope and period like the tables' statements."""
        return None

    def from_row(self, row) -> Decimal | None:
        raise NotImplementedError

    def grouped_statement(self, scope: Scope, period: Period) -> QuerySet | None:
        """The same by program: rows of (program id, what `from_row` reads)."""
        return None


def _program_path(qs: QuerySet) -> str:
    path = qs.model.scope_path
    return "pk" if path == "self_program" else f"{path}__id"


def _grouped(qs: QuerySet, aggregate, convert=None) -> dict[int, Decimal]:
    path = _program_path(qs)
    rows = qs.order_by().values(path).annotate(v=aggregate).values_list(path, "v")
    convert = convert or _decimal
    return {pid: convert(v) for pid, v in rows}


_FLOAT = decimal.Context(prec=15)


def _decimal(raw) -> Decimal:
    """A database aggregate as a Decimal: SQLite answers sums of decimals as floats (read with 15
    significant digits, as Django's converter does), PostgreSQL as numerics; NULL (no rows) is 0."""
    if raw is None:
        return Decimal(0)
    if isinstance(raw, float):
        return _FLOAT.create_decimal_from_float(raw)
    return Decimal(raw)


@functools.cache
def _places(model, path: str) -> Decimal | None:
    """The quantum of a DecimalField reached by `path` from `model` (0.01 for money), else None."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    field = model._meta.get_field(name)
    if isinstance(field, models.DecimalField):
        return Decimal(1).scaleb(-field.decimal_places)
    return None


@dataclass(frozen=True)
class AggregateMetric(Metric):
    """A count or a sum over records: `records_fn(scope, period)`, narrowed by `where(scope, period)`
    (a `Q` over those records) when the metric declares one.

    Metrics with the same `records_fn` are computed together, one aggregate query for all of them
    (`evaluate`, `evaluate_by_program`): each is a filtered aggregate over the shared records. `where`
    may filter on the records' own fields and on single-valued relations (a foreign key followed
    forwards), never across a to-many relation, which would repeat rows."""

    records_fn: RecordsFn | None = None
    where: WhereFn | None = None

    def records(self, scope, period):
        qs = self.records_fn(scope, period)
        return qs if self.where is None else qs.filter(self.where(scope, period))

    def batch_key(self, scope: Scope):
        """Metrics with equal keys share one aggregate query: same records, same review switch."""
        return (self.records_fn.fn, self.counts_for(scope))

    def condition(self, scope, period) -> Q | None:
        return None if self.where is None else self.where(scope, period)

    def aggregate(self, scope, period):
        """The filtered aggregate expression computing this figure over the shared records."""
        raise NotImplementedError

    def filtered(self, condition):
        """The aggregate under a condition already resolved against the table's statement (a
        WhereNode: what this metric's records add to the records of the others), or None."""
        raise NotImplementedError

    def value(self, model, raw) -> Decimal:
        """The figure from what the database returned for the aggregate over `model`'s records."""
        return _decimal(raw)


@dataclass(frozen=True)
class CountMetric(AggregateMetric):
    """Number of records: a COUNT, alone or filtered among the other metrics over the same records."""

    def compute(self, scope, period, known=None):
        return Decimal(self.records(scope, period).count())

    def compute_by_program(self, scope, period, known=None):
        return _grouped(self.records(scope, period), Count("pk"))

    def aggregate(self, scope, period):
        return Count("pk", filter=self.condition(scope, period))

    def filtered(self, condition):
        return Count("pk", filter=condition)


@dataclass(frozen=True)
class DistinctCountMetric(AggregateMetric):
    """Number of distinct values of a field over the records (e.g. the enterprises met in the period's
    contacts): a COUNT(DISTINCT), never a Python set. NULLs are not counted. The provenance is the
    records themselves (each contact).

    Over an organization the figure counts each value once even when several programs met it;
    `compute_by_program` counts per program. Computed with the other metrics over the same table
    (`COUNT(DISTINCT …) FILTER (WHERE …)` in their statement)."""

    field_name: str = ""

    def compute(self, scope, period, known=None):
        n = self.records(scope, period).order_by().aggregate(n=Count(self.field_name, distinct=True))["n"]
        return Decimal(n or 0)

    def compute_by_program(self, scope, period, known=None):
        return _grouped(self.records(scope, period), Count(self.field_name, distinct=True))

    def aggregate(self, scope, period):
        return Count(self.field_name, distinct=True, filter=self.condition(scope, period))

    def filtered(self, condition):
        return Count(self.field_name, distinct=True, filter=condition)


@dataclass(frozen=True)
class SumMetric(AggregateMetric):
    """Sum of a field over the records: a SUM, alone or filtered among the other metrics over the
    same records."""

    field_name: str = ""

    def compute(self, scope, period, known=None):
        records = self.records(scope, period)
        return self.value(records.model, records.aggregate(total=Sum(self.field_name))["total"])

    def compute_by_program(self, scope, period, known=None):
        records = self.records(scope, period)
        return _grouped(records, Sum(self.field_name), lambda v: self.value(records.model, v))

    def aggregate(self, scope, period):
        return Sum(self.field_name, filter=self.condition(scope, period))

    def filtered(self, condition):
        return Sum(self.field_name, filter=condition)

    def value(self, model, raw) -> Decimal:
        """A sum of money is exact to the cent: SQLite adds decimals as floating point, whose last
        digits (3785110683.97001) are rounded off to the field's decimal places."""
        total = _decimal(raw)
        quantum = _places(model, self.field_name)
        return total if quantum is None else total.quantize(quantum)


@dataclass(frozen=True)
class RateMetric(Metric):
    """numerator / denominator × 100, in percent, from two other metrics (no query of its own)."""

    numerator: str = ""
    denominator: str = ""
    places: int = 1

    def records(self, scope, period):
        """The denominator's records (the numerator's are a subset when both count the same model)."""
        return get(self.denominator).records(scope, period)

    def numerator_records(self, scope, period):
        return get(self.numerator).records(scope, period)

    def dependencies(self) -> tuple[str, str]:
        return (self.numerator, self.denominator)

    def empty_note(self) -> str:
        den = _registry.metrics.get(self.denominator)
        name = den.label if den is not None else self.denominator
        return f"{name}为0，{self.label}无从计算，故不显示数值。"

    def rate(self, num: Decimal | None, den: Decimal | None) -> Decimal | None:
        """None when the denominator is 0 (or itself has no value): an empty rate is —, never 0 %."""
        if not den or num is None:
            return None
        quantum = Decimal(1).scaleb(-self.places)
        return (num * 100 / den).quantize(quantum, rounding=ROUND_HALF_UP).normalize() + 0

    def compute(self, scope, period, known=None):
        known = known if known is not None else {}
        if self.numerator in known:
            num = known[self.numerator]
        else:
            num = get(self.numerator).compute(scope, period)
        if self.denominator in known:
            den = known[self.denominator]
        else:
            den = get(self.denominator).compute(scope, period)
        return self.rate(num, den)

    def compute_by_program(self, scope, period, known=None):
        known = known if known is not None else {}
        nums = known.get(self.numerator)
        if nums is None:
            nums = get(self.numerator).compute_by_program(scope, period)
        dens = known.get(self.denominator)
        if dens is None:
            dens = get(self.denominator).compute_by_program(scope, period)
        return {pid: self.rate(nums.get(pid, Decimal(0)), den) for pid, den in dens.items()}

    def empty_value(self):
        return None


@dataclass(frozen=True)
class DifferenceMetric(Metric):
    """minuend − subtrahend, from two other metrics (no query of its own): e.g. a fund's balance as
    donations to date minus grants to date."""

    minuend: str = ""
    subtrahend: str = ""

    def records(self, scope, period):
        return get(self.minuend).records(scope, period)

    def dependencies(self) -> tuple[str, str]:
        return (self.minuend, self.subtrahend)

    def compute(self, scope, period, known=None):
        known = known if known is not None else {}
        a = known.get(self.minuend)
        if a is None:
            a = get(self.minuend).compute(scope, period)
        b = known.get(self.subtrahend)
        if b is None:
            b = get(self.subtrahend).compute(scope, period)
        return a - b

    def compute_by_program(self, scope, period, known=None):
        known = known if known is not None else {}
        a = known.get(self.minuend)
        if a is None:
            a = get(self.minuend).compute_by_program(scope, period)
        b = known.get(self.subtrahend)
        if b is None:
            b = get(self.subtrahend).compute_by_program(scope, period)
        return {pid: a.get(pid, Decimal(0)) - b.get(pid, Decimal(0)) for pid in a.keys() | b.keys()}


REPORTED_LABEL = "报送数"


@dataclass(frozen=True)
class ReportedMetric(Metric):
    """A figure another body supplies (报送数: 游客人次 from the county's tourism bureau), read from the
    ManualValues entered for the scope's programs, each with its source document. Never computed from
    records and never combined with computed figures (a rate or difference may not depend on it).

    FLOW: the sum of the values whose reporting period lies within the statistics period (reporting
    periods of one metric and program may not overlap, so nothing is counted twice). STOCK: for each
    program, the latest value whose reporting period ends on or before the period end. One query.
    """

    @property
    def reported(self) -> bool:
        return True

    def records(self, scope, period):
        ManualValue = apps.get_model("metrics", "ManualValue")

        # Reported values are reviewed too (DESIGN: each has an approval state): the same switch as
        # computed figures, applied here because a ReportedMetric has no records_fn. The STOCK rule's
        # "later value" is looked for among the counted values only, so a later draft does not hide
        # the approved value before it.
        counts = scope.review or self.counts
        qs = review_filtered(
            ManualValue.objects.filter(metric=self.code, program__in=scope.programs()), counts
        )
        if self.period_rule == STOCK:
            later = review_filtered(ManualValue.objects.all(), counts).filter(
                metric=self.code,
                program=OuterRef("program"),
                period_end__gt=OuterRef("period_end"),
                period_end__lte=period.end,
            )
            return qs.filter(period_end__lte=period.end).filter(~Exists(later))
        return qs.filter(period_start__gte=period.start, period_end__lte=period.end)

    def compute(self, scope, period, known=None):
        """None when nothing was reported for the period (未报送), which is not the same as 0."""
        row = self.records(scope, period).aggregate(total=Sum("value"), n=Count("pk"))
        return Decimal(row["total"]) if row["n"] else None

    def statement(self, scope, period):
        return (
            self.records(scope, period)
            .order_by()
            .values(yj_all=Value(1))
            .annotate(total=Sum("value"), n=Count("pk"))
            .values_list("total", "n")
        )

    def from_row(self, row):
        total, n = row if row else (None, 0)
        return _decimal(total) if n else None

    def grouped_statement(self, scope, period):
        return (
            self.records(scope, period)
            .order_by()
            .values("program")
            .annotate(total=Sum("value"), n=Count("pk"))
            .values_list("program", "total", "n")
        )

    def compute_by_program(self, scope, period, known=None):
        return _grouped(self.records(scope, period), Sum("value"))

    def empty_value(self):
        """A program that reported nothing for the period has no value (未报送), as its total has none."""
        return None


def reported_metrics() -> list[ReportedMetric]:
    return [m for m in _registry.metrics.values() if m.reported]


@dataclass(frozen=True)
class Section:
    """A block of figures on the program and organization overviews (and a default report-card
    section): each app registers its own, e.g. Section("talent", "智力援疆", (...codes...), order=30)."""

    key: str
    title: str
    codes: tuple[str, ...]
    order: int = 100


@dataclass
class Registry:
    metrics: dict[str, Metric] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)

    def register(self, metric: Metric) -> Metric:
        if metric.code in self.metrics and self.metrics[metric.code] != metric:
            raise ValueError(f"Metric {metric.code} is declared twice.")
        if metric.period_rule not in PERIOD_RULES:
            raise ValueError(f"Metric {metric.code}: unknown period rule {metric.period_rule!r}.")
        self.metrics[metric.code] = metric
        return metric

    def register_section(self, section: Section) -> Section:
        if section.key in self.sections and self.sections[section.key] != section:
            raise ValueError(f"Section {section.key} is declared twice.")
        self.sections[section.key] = section
        return section


_registry = Registry()


def register(metric: Metric) -> Metric:
    return _registry.register(metric)


def register_section(section: Section) -> Section:
    return _registry.register_section(section)


def sections() -> list[Section]:
    """The overview sections in display order; every code in them must be a declared metric."""
    result = sorted(_registry.sections.values(), key=lambda s: (s.order, s.key))
    for section in result:
        for code in section.codes:
            get(code)
    return result


def section_codes() -> list[str]:
    return [code for section in sections() for code in section.codes]


def get(code: str) -> Metric:
    try:
        return _registry.metrics[code]
    except KeyError:
        raise KeyError(f"未知指标“{code}”。") from None


def all_metrics() -> list[Metric]:
    return list(_registry.metrics.values())


def autodiscover():
    app_modules("metrics")


def _dependency_order(wanted: list[str]) -> list[str]:
    order: list[str] = []

    def visit(code: str):
        if code in order:
            return
        metric = get(code)
        for dep in metric.dependencies() if hasattr(metric, "dependencies") else ():
            if get(dep).reported:
                raise ValueError(
                    f"{code}: a reported figure (报送数) {dep} is never combined with computed ones."
                )
            visit(dep)
        order.append(code)

    for code in wanted:
        visit(code)
    return order


def _with_review(scope: Scope, review: str | None) -> Scope:
    return dataclasses.replace(scope, review=review) if review is not None else scope


# Planning per table. The counts, sums and distinct counts asked for are grouped by the table their
# records are read from (one statement per records table and scope): the conditions every member's
# records share (the scope, the review switch, a period every member reads the same way) are the
# statement's WHERE, and what each member's records add (an activity kind, a date of its own, its
# `where`) is its aggregate's FILTER. Records that cannot be merged so (a records function that
# annotates, joins differently, or is distinct) are grouped by their records function, as before.
# The plan is made once per set of codes, kind of scope, review switch and viewer restriction.
_plans: dict = {}


def _restriction_key(scope: Scope):
    """The viewer restriction as a cache key: its SQL and parameters (None: no restriction)."""
    visible = scope.visible
    if visible is None:
        return None
    key = getattr(visible, "_yj_restriction_key", None)
    if key is None or key[0] != connection.alias:  # compiled once per restriction queryset
        try:
            sql, params = visible.query.get_compiler(connection=connection).as_sql()
            key = (connection.alias, sql, tuple(params))
        except EmptyResultSet:
            key = (connection.alias, "nothing")
        visible._yj_restriction_key = key
    return key


def _mergeable(query) -> bool:
    return (
        not query.distinct
        and not query.annotations
        and not query.extra
        and query.combinator is None
        and not query.is_sliced
        and query.group_by is None
        and query.where.connector == AND
        and not query.where.negated
    )


def _used_joins(query) -> dict:
    """The joins the records' statement uses (an unused join, trimmed by the compiler, is left out)."""
    return {
        alias: join
        for alias, join in query.alias_map.items()
        if isinstance(join, Join) and query.alias_refcount.get(alias)
    }


def _table_key(metric: "AggregateMetric", scope: Scope, period: Period):
    """(key, joins): metrics with equal keys read the same table; their joins decide whether they can
    share one statement (_joins_agree)."""
    try:
        query = metric.records(scope, period).query
        joins = _used_joins(query)
    except Exception:  # a records function that cannot be built for this scope: its own group
        return ("fn", metric.batch_key(scope)), None
    if not _mergeable(query) or any(
        not isinstance(j.join_field, models.ForeignObject) or j.filtered_relation is not None
        for j in joins.values()
    ):
        return ("fn", metric.batch_key(scope)), None
    return ("table", query.model._meta.label, metric.counts_for(scope)), joins


def _joins_agree(union: dict, joins: dict) -> bool:
    """Joins (forward, to one row each) named alike are the same join: they can be one statement's."""
    return all(union[a].identity == j.identity for a, j in joins.items() if a in union)


def _batches(codes: list[str], scope: Scope, period: Period) -> list[tuple[bool, list[AggregateMetric]]]:
    """The counts, sums and distinct counts among `codes`, grouped into statements: (merged, members),
    merged when the members are read from one table with their records' own conditions as FILTERs,
    else members sharing one records function (AggregateMetric.batch_key)."""
    members = [m for m in map(get, codes) if isinstance(m, AggregateMetric)]
    key = (
        connection.alias,
        tuple(members),
        scope.program is not None,
        scope.review,
        _restriction_key(scope),
        timezone.localdate(),
    )
    plan = _plans.get(key)
    if plan is None:
        if len(_plans) > 512:
            _plans.clear()
        groups: dict = {}  # key → [(joins of the statement, members)]
        for metric in members:
            group_key, joins = _table_key(metric, scope, period)
            statements = groups.setdefault(group_key, [])
            for union, statement in statements:
                if joins is not None and _joins_agree(union, joins):
                    union.update(joins)
                    statement.append(metric)
                    break
            else:
                statements.append((dict(joins or {}), [metric]))
        plan = _plans[key] = [
            (k[0] == "table", statement) for k, statements in groups.items() for _u, statement in statements
        ]
    return plan


def _aliases(members: list[AggregateMetric], scope: Scope, period: Period) -> dict:
    return {f"yj_{i}": m.aggregate(scope, period) for i, m in enumerate(members)}


_NEVER = Value(False, output_field=models.BooleanField())


def _merged(members: list[AggregateMetric], scope: Scope, period: Period) -> tuple[QuerySet, dict]:
    """The table's records every member shares (its WHERE) and each member's aggregate under what
    its own records add (its FILTER)."""
    querysets = [m.records(scope, period) for m in members]
    compiler = querysets[0].query.get_compiler(connection=connection)

    def key(child):
        try:
            sql, params = compiler.compile(child)
        except EmptyResultSet:
            return ("nothing",)
        except FullResultSet:
            return ("everything",)
        return (sql, tuple(params))

    keyed = [[(key(child), child) for child in qs.query.where.children] for qs in querysets]
    shared = set.intersection(*({k for k, _child in children} for children in keyed))
    base = querysets[0]._chain()
    base.query.where = WhereNode([c for k, c in keyed[0] if k in shared], AND)
    # Every member's joins in the one statement: a join that not every member uses is a LEFT JOIN
    # (forward, to at most one row: no row is repeated), and the members that use it count only
    # rows that have it, as their own INNER JOIN did.
    used = [_used_joins(qs.query) for qs in querysets]
    everyone = set.intersection(*(set(joins) for joins in used))
    for joins in used:
        for alias, join in joins.items():
            if alias not in everyone:
                base.query.alias_map[alias] = join.promote()
                base.query.alias_refcount[alias] = max(1, base.query.alias_refcount.get(alias, 0))
                base.query.table_map.setdefault(join.table_name, [])
                if alias not in base.query.table_map[join.table_name]:
                    base.query.table_map[join.table_name].append(alias)
    aliases = {}
    for i, (metric, children, joins) in enumerate(zip(members, keyed, used, strict=True)):
        own = [c for k, c in children if k not in shared and k != ("everything",)]
        own += [
            IsNull(Col(alias, join.join_field.foreign_related_fields[0]), False)
            for alias, join in joins.items()
            if alias not in everyone and join.join_type == INNER
        ]
        if any(k == ("nothing",) for k, _c in children if k not in shared):
            condition = _NEVER
        else:
            condition = WhereNode(own, AND) if own else None
        aliases[f"yj_{i}"] = metric.filtered(condition)
    return base, aliases


def _aggregate_query(members, scope, period) -> QuerySet:
    """One row: each member's figure over the scope (grouped by a constant, so by nothing)."""
    base = members[0].records_fn(scope, period)
    aliases = _aliases(members, scope, period)
    return base.order_by().values(yj_all=Value(1)).annotate(**aliases).values_list(*aliases)


def _grouped_query(members, scope, period) -> QuerySet:
    """One row per program: its id, then each member's figure."""
    base = members[0].records_fn(scope, period)
    path = _program_path(base)
    aliases = _aliases(members, scope, period)
    return base.order_by().values(path).annotate(**aliases).values_list(path, *aliases)


def _table_query(members, scope, period) -> QuerySet:
    """One row: each member's figure over the table's records of the scope."""
    base, aliases = _merged(members, scope, period)
    return base.order_by().values(yj_all=Value(1)).annotate(**aliases).values_list(*aliases)


def _table_grouped_query(members, scope, period) -> QuerySet:
    """One row per program: its id, then each member's figure."""
    base, aliases = _merged(members, scope, period)
    path = _program_path(base)
    return base.order_by().values(path).annotate(**aliases).values_list(path, *aliases)


_BUILDERS = {False: (_aggregate_query, _grouped_query), True: (_table_query, _table_grouped_query)}


# Compiled once, run many times. Building a query through the ORM costs ten times running it for one
# program, so a batch's SQL is compiled once per process (for a kind of scope and review switch),
# twice, with two sets of stand-in values, and run with the real ones. Every parameter must be a
# constant (equal in both compilations) or one of the values of `_symbols`; records and where
# functions build the same SQL for every period and scope of a kind (they filter, they do not branch
# on the values). Anything else (a parameter derived otherwise, an error) keeps the ORM path.
_STAND_INS = (
    (dt.date(1901, 2, 3), dt.date(1903, 5, 7), -90101, "/yj-stand-in-a/"),
    (dt.date(1911, 3, 4), dt.date(1914, 6, 8), -90202, "/yj-stand-in-b/"),
)
_templates: dict = {}


def _symbols(scope: Scope, period: Period, ops) -> dict:
    values = {
        "start": period.start,
        "start_db": ops.adapt_datefield_value(period.start),
        "end": period.end,
        "end_db": ops.adapt_datefield_value(period.end),
        "start_year": period.start.year,
        "end_year": period.end.year,
    }
    if scope.program is not None:
        values["program"] = scope.program.pk
    else:
        values["org_prefix"] = f"{ops.prep_for_like_query(scope.organization.path)}%"
    return values


def _stand_in(scope: Scope, start, end, pk, path) -> tuple[Scope, Period]:
    from yuanjiang.org.models import Organization, Program

    # The viewer restriction is kept as it is: it is part of the compiled statement's key.
    if scope.program is not None:
        stand_in = Scope(
            program=Program(pk=pk, slug="yj-stand-in"), visible=scope.visible, review=scope.review
        )
    else:
        stand_in = Scope(
            organization=Organization(pk=pk, path=path, slug="yj-stand-in"),
            visible=scope.visible,
            review=scope.review,
        )
    return stand_in, Period(start, end)


def _compile(build, members, scope) -> tuple | None:
    """(model, sql, slots) of the batch for scopes of this kind, without running anything; None
    when it cannot be compiled once for all (the ORM path is used)."""
    compiled = []
    ran = []

    def no_query(execute, sql, params, many, context):
        ran.append(sql)  # a records function that reads the database while building its query
        return execute(sql, params, many, context)

    for start, end, pk, path in _STAND_INS:
        stand_in, period = _stand_in(scope, start, end, pk, path)
        try:
            with connection.execute_wrapper(no_query):
                qs = build(members, stand_in, period)
                sql, params = qs.query.get_compiler(connection=connection).as_sql()
        except Exception:  # e.g. a records function that needs a stored program, or an empty IN ()
            return None
        if ran:  # what it read may depend on the scope: not compiled once for all
            return None
        compiled.append((qs.model, sql, tuple(params), _symbols(stand_in, period, connection.ops)))
    (model, sql_a, params_a, symbols_a), (_model, sql_b, params_b, symbols_b) = compiled
    if sql_a != sql_b or len(params_a) != len(params_b):
        return None
    slots = []
    for a, b in zip(params_a, params_b, strict=True):
        if type(a) is type(b) and a == b:
            slots.append((False, a))
            continue
        # The parameter as the backend adapted it: a str date on SQLite, an Int2 on PostgreSQL
        # (a subclass of int, made again from the real value at run time).
        names = [n for n, v in symbols_a.items() if isinstance(a, type(v)) and v == a]
        if not names or type(a) is not type(b) or symbols_b[names[0]] != b:
            return None
        slots.append((True, (names[0], type(a))))
    return model, sql_a, slots


def _as(name: str, kind: type, symbols: dict):
    value = symbols[name]
    return value if type(value) is kind else kind(value)


def _template(build, members, scope):
    """The batch's compiled (model, sql, slots) for scopes of this kind, or None (the ORM path)."""
    key = (
        connection.alias,
        connection.vendor,
        build,
        tuple(members),
        scope.program is not None,
        scope.review,
        _restriction_key(scope),  # a viewer's restriction: compiled once per restriction, then reused
        timezone.localdate(),  # a records function may read today's date: compile again tomorrow
    )
    if _templates.get("day") != key[-1] or len(_templates) > 2048:  # yesterday's are not used again
        _templates.clear()
        _templates["day"] = key[-1]
    template = _templates.get(key, False)
    if template is False:
        template = _templates[key] = _compile(build, members, scope)
    return template


def _run(build, members, scope, period) -> tuple:
    """The batch's model and rows: through its compiled SQL when it has one, else through the ORM."""
    template = _template(build, members, scope)
    if template is None:
        qs = build(members, scope, period)
        return qs.model, list(qs)
    model, sql, slots = template
    symbols = _symbols(scope, period, connection.ops)
    params = [_as(*v, symbols) if is_symbol else v for is_symbol, v in slots]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return model, cursor.fetchall()


def _run_each(build, members, pairs) -> tuple:
    """The batch's model and, for each (scope, period) of `pairs` (scopes of one kind), its rows: ONE
    statement, the compiled SQL once per pair joined by UNION ALL, each part tagged with its pair's
    index. Without compiled SQL, the ORM per pair (evaluate_each() says so in its count)."""
    template = _template(build, members, pairs[0][0])
    if template is None:
        ran = [_run(build, members, scope, period) for scope, period in pairs]
        return (ran[0][0] if ran else None), [rows for _model, rows in ran]
    model, sql, slots = template
    parts, params = [], []
    for i, (scope, period) in enumerate(pairs):
        symbols = _symbols(scope, period, connection.ops)
        parts.append(f"SELECT %s AS yj_pair, yj_t.* FROM ({sql}) yj_t")
        params.append(i)
        params.extend(_as(*v, symbols) if is_symbol else v for is_symbol, v in slots)
    rows: list[list] = [[] for _ in pairs]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for i, *row in cursor.fetchall():
            rows[i].append(tuple(row))
    return model, rows


def _own_statement(members, scope, period) -> QuerySet:
    return members[0].statement(scope, period)


def _computed(metric: Metric, scope: Scope, period: Period, known: dict):
    """A metric that is not one of a table's counts and sums: through its compiled statement when it
    gives one (Metric.statement), else its own compute()."""
    if metric.statement.__func__ is not Metric.statement:
        _model, rows = _run(_own_statement, (metric,), scope, period)
        return metric.from_row(rows[0] if rows else None)
    return metric.compute(scope, period, known)


def _own_grouped_statement(members, scope, period) -> QuerySet:
    return members[0].grouped_statement(scope, period)


def _computed_by_program(metric: Metric, scope: Scope, period: Period, known: dict) -> dict:
    """compute_by_program(), through the metric's compiled grouped statement when it gives one."""
    if metric.grouped_statement.__func__ is not Metric.grouped_statement:
        _model, rows = _run(_own_grouped_statement, (metric,), scope, period)
        return {pid: metric.from_row(rest) for pid, *rest in rows}
    return metric.compute_by_program(scope, period, known)


def _batched(codes: list[str], scope: Scope, period: Period) -> dict[str, Decimal]:
    """Every count and sum among `codes` for the scope: one aggregate query per group of metrics over
    the same records."""
    values: dict[str, Decimal] = {}
    for merged, members in _batches(codes, scope, period):
        model, rows = _run(_BUILDERS[merged][0], members, scope, period)
        row = rows[0] if rows else [None] * len(members)
        for metric, v in zip(members, row, strict=True):
            values[metric.code] = metric.value(model, v)
    return values


def _batched_by_program(codes: list[str], scope: Scope, period: Period) -> dict[str, dict[int, Decimal]]:
    """The same, grouped by program: one GROUP BY query per group of metrics over the same records."""
    values: dict[str, dict[int, Decimal]] = {}
    for merged, members in _batches(codes, scope, period):
        model, rows = _run(_BUILDERS[merged][1], members, scope, period)
        columns = [{} for _ in members]
        for pid, *vs in rows:
            for metric, column, v in zip(members, columns, vs, strict=True):
                column[pid] = metric.value(model, v)
        for metric, column in zip(members, columns, strict=True):
            values[metric.code] = column
    return values


def evaluate_with_programs(
    codes: list[str], by_program: list[str], scope: Scope, period: Period, review: str | None = None
) -> tuple[dict[str, Figure], dict[int, dict[str, Decimal | None]]]:
    """`evaluate(codes, …)` and `evaluate_by_program(by_program, …)` together, as an organization's
    overview shows them, reading each group of records once: a group of counts and sums (over the
    same records) of which some metric is wanted by program is queried grouped by program only,
    with every member of the group, and the scope's totals of its counts and sums are the sums of
    its rows (each record falls in exactly one row, so the sum is the figure itself, to the cent).
    Rates and differences are then derived from those totals as evaluate() derives them, never
    averaged over programs; distinct counts and reported figures keep their own queries."""
    scope = _with_review(scope, review)
    cache_key = _cache_key("with_programs", (tuple(codes), tuple(by_program)), scope, period)
    kept = cache.get(cache_key)
    if kept is None:
        seen = _as_seen(scope)
        if seen is None:  # nothing the viewer may see
            kept = {code: get(code).empty_value() for code in codes}, {code: {} for code in by_program}
        else:
            kept = _evaluate_with_programs(list(codes), list(by_program), seen, period)
        cache.put(cache_key, kept)
    totals, columns = kept
    figures = {code: Figure(get(code), totals[code], scope, period) for code in codes}
    return figures, _per_program(by_program, columns, scope)


def _evaluate_with_programs(codes, by_program, scope, period):
    """(totals, columns) of evaluate_with_programs: every figure of `codes` and each program's of
    `by_program`."""
    order = _dependency_order(list(codes))
    grouped_order = _dependency_order(list(by_program))
    grouped_codes = set(grouped_order)
    totals: dict[str, Decimal | None] = {}
    columns: dict[str, dict[int, Decimal | None]] = {}
    for merged, members in _batches(list(dict.fromkeys(order + grouped_order)), scope, period):
        if any(m.code in grouped_codes for m in members):
            model, rows = _run(_BUILDERS[merged][1], members, scope, period)
            for i, metric in enumerate(members):
                column = {pid: metric.value(model, vs[i]) for pid, *vs in rows}
                columns[metric.code] = column
                totals[metric.code] = sum(column.values(), metric.value(model, None))
            # A distinct count is not the sum of its programs' (a value met by two programs counts
            # once): its total is read over the scope, in one statement for the table.
            distinct = [m for m in members if isinstance(m, DistinctCountMetric) and m.code in order]
            if distinct:
                model, rows = _run(_BUILDERS[merged][0], distinct, scope, period)
                row = rows[0] if rows else [None] * len(distinct)
                for metric, v in zip(distinct, row, strict=True):
                    totals[metric.code] = metric.value(model, v)
        else:
            model, rows = _run(_BUILDERS[merged][0], members, scope, period)
            row = rows[0] if rows else [None] * len(members)
            for metric, v in zip(members, row, strict=True):
                totals[metric.code] = metric.value(model, v)
    for code in grouped_order:
        metric = get(code)
        if code not in columns and metric.reported:
            columns[code] = _computed_by_program(metric, scope, period, columns)
            if code in order:  # 报送数 add up over programs; None when no program reported any
                reported = [v for v in columns[code].values() if v is not None]
                totals[code] = sum(reported, Decimal(0)) if reported else None
    for code in order:
        if code not in totals:
            totals[code] = _computed(get(code), scope, period, totals)
    for code in grouped_order:
        if code not in columns:
            columns[code] = _computed_by_program(get(code), scope, period, columns)
    return {code: totals[code] for code in codes}, {code: columns[code] for code in by_program}


def _cache_key(kind: str, codes: tuple, scope: Scope, period: Period) -> str | None:
    """What a computation's figures are kept under (metrics.cache): the codes, the scope, the viewer
    restriction, the review switch and the period's dates (the token and today are added there)."""
    return cache.key(
        kind, (codes, _where(scope), _restriction_key(scope), scope.review, period.start, period.end)
    )


def _where(scope: Scope) -> tuple:
    """The scope's program or organization, as part of a cache key."""
    return ("program", scope.program.pk) if scope.program is not None else ("org", scope.organization.pk)


def _per_program(codes, values, scope) -> dict[int, dict[str, Decimal | None]]:
    program_ids = list(scope.programs().values_list("pk", flat=True))
    empty = {code: get(code).empty_value() for code in codes}
    return {pid: {code: values[code].get(pid, empty[code]) for code in codes} for pid in program_ids}


def evaluate_by_program(
    codes: list[str], scope: Scope, period: Period, review: str | None = None
) -> dict[int, dict[str, Decimal | None]]:
    """Each metric for each program of the scope: {program id: {code: value}}; one grouped query per
    group of counts and sums over the same records (and one per other metric), whatever the number of
    programs or records. A rate of a program with nothing in its denominator is None. `review` as for
    evaluate()."""
    scope = _with_review(scope, review)
    cache_key = _cache_key("by_program", tuple(codes), scope, period)
    values = cache.get(cache_key)
    if values is None:
        seen = _as_seen(scope)
        order = _dependency_order(list(codes))
        values = dict(_batched_by_program(order, seen, period)) if seen is not None else {}
        for code in order:
            if code not in values:
                values[code] = _computed_by_program(get(code), seen, period, values) if seen else {}
        values = {code: values[code] for code in codes}
        cache.put(cache_key, values)
    return _per_program(codes, values, scope)


def evaluate_each(
    codes: list[str], pairs: list[tuple[Scope, Period]], review: str | None = None
) -> list[dict[str, Figure]]:
    """evaluate(codes, scope, period) for each (scope, period) of `pairs` — e.g. each batch of a
    succession over its own term (the 接力棒 view) — in as many statements as ONE evaluate() runs,
    whatever the number of pairs: each compiled statement is run for all pairs at once (_run_each).
    The scopes must be of one kind (all programs or all organizations) with one viewer restriction
    and review switch; the plan is the first pair's."""
    pairs = [(_with_review(scope, review), period) for scope, period in pairs]
    if not pairs:
        return []
    order = _dependency_order(list(codes))
    scope0, period0 = pairs[0]
    values: list[dict[str, Decimal | None]] = [{} for _ in pairs]
    for merged, members in _batches(order, scope0, period0):
        model, rows = _run_each(_BUILDERS[merged][0], members, pairs)
        for known, pair_rows in zip(values, rows, strict=True):
            row = pair_rows[0] if pair_rows else [None] * len(members)
            for metric, v in zip(members, row, strict=True):
                known[metric.code] = metric.value(model, v)
    for code in order:
        metric = get(code)
        if code in values[0]:
            continue
        if metric.statement.__func__ is not Metric.statement:
            _model, rows = _run_each(_own_statement, (metric,), pairs)
            for known, pair_rows in zip(values, rows, strict=True):
                known[code] = metric.from_row(pair_rows[0] if pair_rows else None)
        else:  # rates and differences: from the figures already known, no query
            for known, (scope, period) in zip(values, pairs, strict=True):
                known[code] = metric.compute(scope, period, known)
    return [
        {code: Figure(get(code), known[code], scope, period) for code in codes}
        for known, (scope, period) in zip(values, pairs, strict=True)
    ]


def _as_seen(scope: Scope) -> Scope | None:
    """The scope as the viewer's restriction leaves it, in one indexed query (none when unrestricted):
    None when it leaves no program (a province's user looking at a program of another province, a
    clerk at another province: every figure is that of no records, and no statement runs); the scope
    without the restriction when it leaves every program (a clerk at their own program, a province's
    user at their province: the same records, through the statements an unrestricted scope runs, with
    `program = id` for one program); the one program it leaves, as a program's scope (a clerk at the
    country: every metric reads its records through `scope.programs()`, the same one program); else
    the scope as it is."""
    from yuanjiang.org.models import Program

    if scope.visible is None:
        return scope
    bare = dataclasses.replace(scope, visible=None)
    # Planning, kept per state of the data (programs and memberships are domain records).
    cache_key = cache.key("seen", (_where(scope), _restriction_key(scope)), plan=True)
    counted = cache.get(cache_key)
    if counted is None:
        seen_q = Q(pk__in=scope.visible.values("pk"))
        counted = bare.programs().aggregate(
            every=Count("pk"), seen=Count("pk", filter=seen_q), one=Max("pk", filter=seen_q)
        )
        cache.put(cache_key, counted)
    if not counted["seen"]:
        return None
    if counted["seen"] == counted["every"]:
        return bare
    if counted["seen"] == 1:  # the one program seen (a clerk's at the country): its figures are the scope's
        return Scope(program=Program(pk=counted["one"]), review=scope.review)
    return scope


def evaluate(
    codes: list[str] | None, scope: Scope, period: Period, review: str | None = None
) -> dict[str, Figure]:
    """Compute the given metrics (all when None) for a scope and period.

    Counts and sums over the same records are one aggregate query together (conditional aggregation);
    every other metric is one query of its own, and rates reuse the figures already computed, so the
    number of queries depends on the metrics asked for, never on the number of records.
    `review`: "approved" counts only 已审核 records, "all" every record; None keeps the scope's
    choice, or else each metric's declared default (Metric.counts).
    """
    scope = _with_review(scope, review)
    wanted = list(codes) if codes is not None else list(_registry.metrics)
    cache_key = _cache_key("evaluate", tuple(wanted), scope, period)
    values = cache.get(cache_key)
    if values is None:
        values = _evaluate(wanted, scope, period)
        cache.put(cache_key, values)
    return {code: Figure(get(code), values[code], scope, period) for code in wanted}


def _evaluate(wanted: list[str], scope: Scope, period: Period) -> dict[str, Decimal | None]:
    scope = _as_seen(scope)
    if scope is None:  # nothing the viewer may see: each figure is that of no records
        return {code: get(code).empty_value() for code in wanted}
    order = _dependency_order(wanted)
    values: dict[str, Decimal | None] = dict(_batched(order, scope, period))
    for code in order:
        if code not in values:
            values[code] = _computed(get(code), scope, period, values)
    return {code: values[code] for code in wanted}
