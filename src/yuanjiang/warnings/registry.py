"""The early-warning (预警) registry. Each domain app declares the rules over its own records in its
`warnings.py`, found the way metrics are (`common.discovery.app_modules`):

    from yuanjiang.warnings.registry import Finding, Rule, register

    def overdue(programs, on):          # programs: a queryset (a subquery); on: the date judged
        for p in AidProject.objects.filter(program__in=programs, planned_completion__lt=on, ...):
            yield Finding(program_id=p.program_id, records=[p], since=p.planned_completion + day,
                          detail="计划2024年8月15日完工，尚未完工", facts=(p.planned_completion,))

    register(Rule(code="projects.finish_overdue", label="项目逾期未完工", severity=SEVERE,
                  records="projects.AidProject", period_rule="…", find=overdue))

A rule's `find` reads every program it is given at once, in a fixed number of queries (never one
per program or per record): `services.evaluate` runs each rule once over all the programs.

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


@dataclass(frozen=True)
class Finding:
    """One occurrence of a rule: a program, the records it names, since when, and why (Chinese)."""

    program_id: int
    records: list[Model]
    since: dt.date
    detail: str
    facts: tuple = ()
    url: str = ""  # where it opens when not its one record's page (a list, a page of the program)

    def subject(self) -> str:
        """What the finding is about, stable while the facts change: its records' labels and ids."""
        return ",".join(sorted(f"{r._meta.label_lower}:{r.pk}" for r in self.records))[:250]

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
