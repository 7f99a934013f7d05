"""The early-warning (预警) registry. Each domain app declares the rules over its own records in its
`warnings.py`, found the way metrics are (`common.discovery.app_modules`):

    from yuanjiang.warnings.registry import Finding, Rule, register

    def overdue(programs, on):          # programs: a queryset (a subquery); on: the date judged
        qs = AidProject.objects.filter(program__in=programs, planned_completion__lt=on, ...)
        for p, planned in rows(qs, ("id", "program_id", "code", "name"), "planned_completion"):
            yield Finding(program_id=p.program_id, records=[p], since=planned + day,
                          detail="计划2024年8月15日完工，尚未完工", facts=(planned,))

    register(Rule(code="projects.finish_overdue", label="项目逾期未完工", severity=SEVERE,
                  records="projects.AidProject", period_rule="…", find=overdue))

A rule's `find` reads every program it is given at once, in a fixed number of queries (never one
per program or per record): `services.evaluate` runs each rule once over all the programs, and so does
`services.counts` (the roll-ups' count path) with the same rules.

A finding names its records by `Ref` (model, id and the values read with it) rather than by model
instances: a country's overdue projects are tens of thousands of findings, and a roll-up only counts
them. `rows(queryset, shown, *facts)` reads a rule's rows as (Ref, fact …) in one query; a Ref builds
its instance only when a page shows it (its text, its URL).

A finding's `facts` are what the warning says: an acknowledgement (确认) holds their fingerprint and
hides the warning only while the facts are the same — a moved date or a new record brings it back.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Model, QuerySet

from yuanjiang.common.discovery import app_modules

SEVERE = "severe"
WARNING = "warning"
NOTICE = "notice"
SEVERITIES = {SEVERE: "严重", WARNING: "警告", NOTICE: "提示"}
SEVERITY_ORDER = {SEVERE: 0, WARNING: 1, NOTICE: 2}

FindFn = Callable[[QuerySet, dt.date], Iterable["Finding"]]


class Ref:
    """A record a finding names, without its model instance: its model, its id, and the values read
    with it (`row`, field attnames: `ref.code`, `ref.program_id` read from it). Enough to count,
    compare and fingerprint a warning. What a page shows of it (`str(ref)`, `ref.get_absolute_url()`,
    any other attribute) comes from its instance, built on first use: from the row (`Model.from_db`,
    as `.only(*row)` builds it: no query), or, for a record of a `Batch`, read with every record of
    the batch in one query. Equal to its model instance (same model, same id), as instances are."""

    __slots__ = ("_batch", "_db", "_instance", "_names", "_values", "model", "pk")

    def __init__(self, model: type[Model], pk, row: dict | None = None, *, db="default", batch=None):
        self.model = model
        self.pk = pk
        self._names = tuple(row) if row else ()
        self._values = tuple(row.values()) if row else ()
        self._db = db
        self._batch = batch
        self._instance = None

    @classmethod
    def from_values(cls, model: type[Model], names: tuple[str, ...], values: tuple, db="default") -> "Ref":
        """A Ref from a row as read (`values` starts with the `names` fields, the id first)."""
        ref = cls.__new__(cls)
        ref.model, ref.pk, ref._names, ref._values = model, values[0], names, values
        ref._db, ref._batch, ref._instance = db, None, None
        return ref

    @property
    def key(self) -> str:
        """The record as a finding's subject names it: `<app>.<model>:<id>`."""
        return f"{self.model._meta.label_lower}:{self.pk}"

    @property
    def _meta(self):
        return self.model._meta

    @property
    def instance(self) -> Model | None:
        """The model instance (None if a batch's record is gone since it was read)."""
        if self._instance is None:
            if self._batch is not None:
                self._instance = self._batch.get(self.pk)
            else:
                names = self._names or ("id",)
                values = self._values[: len(names)] or (self.pk,)
                self._instance = self.model.from_db(self._db, list(names), list(values))
        return self._instance

    def __getattr__(self, name):
        if name.startswith("_"):  # its own slots (unset while copied) and dunders: never the row's
            raise AttributeError(name)
        if name in self._names:
            return self._values[self._names.index(name)]
        instance = self.instance
        if instance is None:
            raise AttributeError(name)
        return getattr(instance, name)

    def __str__(self) -> str:
        instance = self.instance
        return str(instance) if instance is not None else f"{self.model._meta.verbose_name} {self.pk}"

    def __repr__(self) -> str:
        return f"<Ref {self.model._meta.label_lower}:{self.pk}>"

    def __eq__(self, other):
        if isinstance(other, Ref | Model):
            return other._meta.concrete_model is self.model._meta.concrete_model and other.pk == self.pk
        return NotImplemented

    def __hash__(self):
        return hash((self.model._meta.concrete_model, self.pk))


def rows(queryset: QuerySet, shown: tuple[str, ...], *facts: str):
    """`queryset` read as tuples (Ref, fact, …): a Ref of each record from the `shown` fields (its id
    first, concrete attnames: what a page shows of it), then the values of `facts` (fields or
    annotations the rule judges by). One query, no model instance."""
    model, db, n = queryset.model, queryset.db, len(shown)
    for values in queryset.values_list(*shown, *facts):
        yield (Ref.from_values(model, shown, values, db), *values[n:])


class Batch:
    """Records named by id (e.g. a review queue's), read together the first time any is shown: one
    query (`queryset.in_bulk`) for all the refs made with `ref()`, whatever their number."""

    def __init__(self, queryset: QuerySet):
        self.queryset = queryset
        self.pks: list = []
        self._loaded: dict | None = None

    def ref(self, pk) -> Ref:
        self.pks.append(pk)
        return Ref(self.queryset.model, pk, db=self.queryset.db, batch=self)

    def get(self, pk):
        if self._loaded is None:
            self._loaded = self.queryset.in_bulk(self.pks)
        return self._loaded.get(pk)


@dataclass(frozen=True, slots=True)
class Finding:
    """One occurrence of a rule: a program, the records it names (Refs, or model instances), since
    when, and why (Chinese)."""

    program_id: int
    records: list[Ref | Model]
    since: dt.date
    detail: str
    facts: tuple = ()
    url: str = ""  # where it opens when not its one record's page (a list, a page of the program)
    _subject: str | None = field(default=None, init=False, repr=False, compare=False)

    def subject(self) -> str:
        """What the finding is about, stable while the facts change: its records' labels and ids."""
        if self._subject is not None:
            return self._subject
        keys = [r.key if isinstance(r, Ref) else f"{r._meta.label_lower}:{r.pk}" for r in self.records]
        subject = ",".join(sorted(keys))[:250]
        object.__setattr__(self, "_subject", subject)  # computed once (sorting, acknowledgements)
        return subject

    def fingerprint(self) -> str:
        raw = json.dumps([self.subject(), [str(f) for f in self.facts]], ensure_ascii=False)
        return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class Rule:
    code: str  # "projects.finish_overdue": the owning app, a dot, the rule
    label: str  # 中文: 项目逾期未完工
    severity: str  # SEVERE / WARNING / NOTICE
    records: str  # the model it names, "projects.AidProject"
    period_rule: str  # 中文: when it applies, judged on which date
    find: FindFn = field(compare=False)
    margin: object = None  # a declared tolerance (e.g. Decimal("0.10") of pace), shown with the rule

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"{self.code}: severity must be one of {', '.join(SEVERITIES)}")
        if "." not in self.code:
            raise ValueError(f"{self.code}: a rule's code is '<app>.<rule>'")

    @property
    def severity_label(self) -> str:
        return SEVERITIES[self.severity]


class _Registry:
    def __init__(self):
        self.rules: dict[str, Rule] = {}


_registry = _Registry()


def register(rule: Rule) -> Rule:
    existing = _registry.rules.get(rule.code)
    if existing is not None and existing.find is not rule.find:
        raise ValueError(f"预警规则“{rule.code}”重复登记。")
    _registry.rules[rule.code] = rule
    return rule


def get(code: str) -> Rule:
    try:
        return _registry.rules[code]
    except KeyError:
        raise KeyError(f"未知预警规则“{code}”。") from None


def all_rules() -> list[Rule]:
    return list(_registry.rules.values())


def autodiscover():
    app_modules("warnings")
