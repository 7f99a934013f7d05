"""The closed-period invariant, defined by figures: **no declared figure of a closed period changes**.

`review.guard` freezes the records dated in a closed period. That alone does not keep a period's
figures: a project started in 2023 counts in 2023's 开工数 through its plan year, a roster record (an
aid worker in post) through its existence, a disbursement through its project. Rather than a hand
list of such fields, this module asks the metrics themselves. For every write (a kernel hook, every
path, by chunks):

1. which declared metrics read the written model: derived once from the metrics' own queries (the
   tables the SQL of each metric's records reads, its summed or distinct field's relations, and for
   a rate or difference those of its operands) — a new metric extends the guard by itself;
2. which programs the written records belong to, before and after the write (a shared reference
   record, such as a park: every program with a closed period);
3. for each active closed period of those programs, the figures of those metrics (已审核 and all
   records) before the write and after it, inside the write's transaction.

Any difference refuses the write, naming the figures it would have changed; the transaction rolls
back. Writes of programs without a closed period cost one query (their closes); writes of models no
metric reads cost nothing.
"""

import datetime as dt
import functools
from decimal import Decimal

from yuanjiang.review.errors import PeriodClosedError

STATE = "review.invariant"
EVERY_MODEL = "*"


def _models_of_path(model, path: str) -> set:
    found = set()
    for relation in path.split("__")[:-1]:
        model = model._meta.get_field(relation).related_model
        found.add(model)
    return found


@functools.cache
def _reads() -> dict[str, frozenset]:
    """{metric code: the models its figure reads} (EVERY_MODEL when its query cannot be built)."""
    from django.apps import apps
    from django.db import connection

    from yuanjiang.metrics import registry
    from yuanjiang.metrics.scope import Scope
    from yuanjiang.org.models import Program
    from yuanjiang.org.periods import Period

    tables = {m._meta.db_table: m for m in apps.get_models()}
    program = Program(pk=1, term_start=dt.date(2023, 1, 1), term_end=dt.date(2025, 12, 31))
    scope, period = Scope(program=program), Period(dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    quote = connection.ops.quote_name
    reads: dict[str, frozenset] = {}

    def of(metric) -> frozenset:
        if metric.code in reads:
            return reads[metric.code]
        deps = getattr(metric, "dependencies", None)
        if deps is not None:
            found = frozenset().union(*(of(registry.get(code)) for code in deps()))
        else:
            try:
                qs = metric.records(scope, period)
                sql, _params = qs.query.get_compiler(connection=connection).as_sql()
                models = {model for table, model in tables.items() if quote(table) in sql}
                models.add(qs.model)
                for name in ("field_name",):
                    path = getattr(metric, name, "")
                    if path:
                        models |= _models_of_path(qs.model, path)
                found = frozenset(models)
            except Exception:  # a query that needs more than a stand-in program: read as reading all
                found = frozenset({EVERY_MODEL})
        reads[metric.code] = found
        return found

    for metric in registry.all_metrics():
        of(metric)
    return reads


@functools.cache
def codes_reading(model) -> tuple[str, ...]:
    """The metrics whose figures a write of `model` may change."""
    return tuple(
        code
        for code, models in _reads().items()
        if EVERY_MODEL in models or any(issubclass(model, m) or issubclass(m, model) for m in models)
    )


def _program_ids(write) -> set[int] | None:
    """The programs of the written records, before and after the write; None: every program (a
    shared reference record belongs to none and may count for any)."""
    model = write.model
    path = getattr(model, "scope_path", None)
    if not path:
        return None
    if path == "self_program":
        return {obj.pk for obj in write.objs if obj.pk is not None}
    first, *rest = path.split("__")
    attname = model._meta.get_field(first).attname
    ids = {getattr(obj, attname, None) for obj in write.objs}
    for obj in write.objs:
        old = write.stored(obj)
        if attname in old:
            ids.add(old[attname])
    ids.discard(None)
    ids = {i for i in ids if not hasattr(i, "resolve_expression")}
    if not rest or not ids:
        return ids
    related = model._meta.get_field(first).related_model
    rows = related._base_manager.using(write.using).filter(pk__in=ids).order_by()
    return {pid for pid in rows.values_list("__".join(rest), flat=True) if pid is not None}


def _figures(program, close, codes) -> dict:
    from yuanjiang.metrics.registry import evaluate
    from yuanjiang.metrics.scope import Scope
    from yuanjiang.org.periods import Period

    period = Period(close.start, close.end)
    values = {}
    for review in ("approved", "all"):
        for code, figure in evaluate(list(codes), Scope(program=program), period, review=review).items():
            values[(review, code)] = figure.value
    return values


def before_write(write):
    """Kernel hook: the figures of the closed periods this write could change, as they are now."""
    if write.model._meta.label == "review.PeriodClose" or not write.objs:
        return
    codes = codes_reading(write.model)
    if not codes:
        return
    from yuanjiang.review.models import PeriodClose

    closes = PeriodClose.objects.using(write.using).active()
    closed = set(closes.order_by().values_list("program_id", flat=True).distinct())
    if not closed:  # no closed period anywhere: nothing to keep (one query)
        return
    pids = _program_ids(write)
    if pids is not None:
        pids &= closed
    closes = closes.select_related("program").order_by("pk")
    if pids is not None:
        if not pids:
            return
        closes = closes.filter(program_id__in=pids)
    closes = list(closes)
    if closes:
        write.state[STATE] = [(close, codes, _figures(close.program, close, codes)) for close in closes]


def _show(value, unit) -> str:
    if value is None:
        return "—"
    value = Decimal(value).normalize() + 0
    return f"{value:f}{unit}"


def after_write(write):
    """Kernel hook: the same figures after the write; any difference refuses (and rolls back) it."""
    from yuanjiang.metrics.registry import get

    for close, codes, before in write.state.pop(STATE, ()):
        after = _figures(close.program, close, codes)
        changed, seen = [], set()
        for (_review, code), old in before.items():
            new = after.get((_review, code))
            if new != old and code not in seen:
                seen.add(code)
                metric = get(code)
                changed.append((metric.label, _show(old, metric.unit), _show(new, metric.unit)))
        if changed:
            shown = "；".join(f"{label} {old}→{new}" for label, old, new in changed[:3])
            more = f"等{len(changed)}项" if len(changed) > 3 else ""
            raise PeriodClosedError(
                f"此操作会改变已结账期间{close.period_label}的数字（{shown}{more}），不能保存。"
                "结账后数字不再变化；如需更正，请前方指挥部先重新开账并说明理由。",
                code="period_closed",
            )
