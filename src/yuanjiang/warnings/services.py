"""Evaluating and acknowledging early warnings (预警).

    from yuanjiang.warnings.services import evaluate
    for w in evaluate(programs, on=date):   # programs: a Program queryset or list; on: default today
        w.as_dict()                          # the `./yj warnings --format json` shape

`evaluate` runs each registered rule once over all the programs (a fixed number of queries whatever
the programs or records: one per rule, one for the programs, one for the acknowledgements) and hides
the warnings acknowledged with the same facts (`include_acknowledged=True` returns them too, marked).
`counts` is the roll-ups' path: the same rules and the same acknowledgement test (`_findings`, shared
by both), counted by program and severity without building a Warning or a model instance per finding.
`acknowledgement_create` records a lead's note through the kernel (logged like any domain write).
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from yuanjiang.metrics import cache as figure_cache
from yuanjiang.org.models import Program
from yuanjiang.warnings import registry
from yuanjiang.warnings.models import Acknowledgement
from yuanjiang.warnings.registry import SEVERITY_ORDER, Finding, Rule

NOTE_MAX = 300


@dataclass(slots=True)
class Warning:
    rule: Rule
    program: Program
    finding: Finding
    acknowledgement: Acknowledgement | None = None

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def label(self) -> str:
        return self.rule.label

    @property
    def severity(self) -> str:
        return self.rule.severity

    @property
    def severity_label(self) -> str:
        return self.rule.severity_label

    @property
    def records(self):
        return self.finding.records

    @property
    def since(self) -> dt.date:
        return self.finding.since

    @property
    def detail(self) -> str:
        return self.finding.detail

    @property
    def subject(self) -> str:
        return self.finding.subject()

    @property
    def fingerprint(self) -> str:
        return self.finding.fingerprint()

    @property
    def acknowledged(self) -> bool:
        return self.acknowledgement is not None

    @property
    def key(self) -> str:
        """An HTML id: the warning's place on a page."""
        return f"w-{self.program.pk}-{self.fingerprint[:12]}"

    def url(self) -> str:
        """Where the warning opens its records: the rule's own page for it, the one record, or the
        program's warnings page (each record linked)."""
        if self.finding.url:
            return self.finding.url
        if len(self.records) == 1 and hasattr(self.records[0], "get_absolute_url"):
            return self.records[0].get_absolute_url()
        return reverse("warnings:program", args=[self.program.slug]) + f"#{self.key}"

    def as_dict(self) -> dict:
        ack = self.acknowledgement
        return {
            "code": self.code,
            "severity": self.severity,
            "severity_label": self.severity_label,
            "label": self.label,
            "program": self.program.slug,
            "records": [record_dict(r) for r in self.records],
            "since": self.since.isoformat(),
            "detail": self.detail,
            "fingerprint": self.fingerprint,
            "acknowledged": ack is not None,
            "acknowledgement": None
            if ack is None
            else {
                "note": ack.note,
                "by": str(ack.acknowledged_by) if ack.acknowledged_by_id else None,
                "at": ack.created_at.isoformat(),
            },
        }


def record_dict(record) -> dict:
    out = {"model": record._meta.label_lower, "id": record.pk, "label": str(record)}
    code = getattr(record, "code", None)
    if code:
        out["code"] = code
    try:
        out["url"] = record.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        pass
    return out


def _findings(
    program_ids: list[int], on: dt.date, rules=None
) -> Iterator[tuple[Rule, Finding, Acknowledgement | None]]:
    """Each rule's findings over the programs, with the acknowledgement in force for it (None when
    there is none or its facts changed since): one pass of each rule over all the programs, and one
    query for the programs' acknowledgements. The subject and fingerprint of a finding are computed
    only when its program has an acknowledgement of its rule (most findings have none)."""
    acks: dict[tuple, Acknowledgement] = {}
    for ack in Acknowledgement.objects.filter(program__in=program_ids).select_related("acknowledged_by"):
        acks.setdefault((ack.program_id, ack.rule, ack.subject), ack)  # newest first: the one in force
    acked_rules = {(program_id, rule) for program_id, rule, _ in acks}
    program_qs = Program.objects.filter(pk__in=program_ids)
    for rule in rules or registry.all_rules():
        for finding in rule.find(program_qs, on):
            ack = None
            if (finding.program_id, rule.code) in acked_rules:
                ack = acks.get((finding.program_id, rule.code, finding.subject()))
                if ack is not None and ack.fingerprint != finding.fingerprint():
                    ack = None
            yield rule, finding, ack


def evaluate(
    programs, *, on: dt.date | None = None, include_acknowledged: bool = False, rules=None
) -> list[Warning]:
    """The warnings of `programs` as of `on` (default today), most severe and oldest first."""
    on = on or timezone.localdate()
    programs = {p.pk: p for p in programs}
    if not programs:
        return []
    found = [
        Warning(rule=rule, program=programs[finding.program_id], finding=finding, acknowledgement=ack)
        for rule, finding, ack in _findings(list(programs), on, rules)
        if include_acknowledged or ack is None
    ]
    found.sort(
        key=lambda w: (
            SEVERITY_ORDER[w.rule.severity],
            w.finding.since,
            w.finding.program_id,
            w.rule.code,
            w.finding.subject(),
        )
    )
    return found


def counts(programs, *, on: dt.date | None = None, rules=None) -> dict[int, dict[str, int]]:
    """{program id: {severity: number}} of the unacknowledged warnings of `programs` (Programs, or their
    ids) as of `on` (default today): what `counts_by_program(evaluate(programs, on=on))` gives, in the
    same fixed number of queries, without building (or sorting) the warnings — the roll-ups' column."""
    on = on or timezone.localdate()
    program_ids = [p if isinstance(p, int) else p.pk for p in programs]
    out: dict[int, dict[str, int]] = {}
    if not program_ids:
        return out
    # Counted once per state of the data, like figures (metrics.cache; acknowledgements are domain
    # writes too): the roll-up's column is read again only after a write.
    cache_key = figure_cache.key(
        "warning-counts", (tuple(sorted(program_ids)), on, tuple(r.code for r in rules or ()))
    )
    kept = figure_cache.get(cache_key)
    if kept is not None:
        return kept
    for rule, finding, ack in _findings(program_ids, on, rules):
        if ack is None:
            by = out.setdefault(finding.program_id, {})
            by[rule.severity] = by.get(rule.severity, 0) + 1
    figure_cache.put(cache_key, out)
    return out


def counts_by_program(warnings: list[Warning]) -> dict[int, dict[str, int]]:
    """{program id: {severity: number}} of unacknowledged warnings of a list `evaluate` gave (a roll-up
    that only counts calls `counts`, which builds no Warning)."""
    out: dict[int, dict[str, int]] = {}
    for w in warnings:
        if w.acknowledged:
            continue
        by = out.setdefault(w.program.pk, {})
        by[w.severity] = by.get(w.severity, 0) + 1
    return out


def acknowledgement_create(
    *, program: Program, fingerprint: str, note: str, user, on=None
) -> Acknowledgement:
    """Acknowledge the program's current warning whose facts are `fingerprint`, with a note. Refused
    (a Chinese ValidationError naming the field) when the note is empty or too long, or when no such
    warning stands any more (its facts changed since the page was shown)."""
    from yuanjiang.accounts import scoping

    if not scoping.programs(user, scoping.CHANGE).filter(pk=program.pk).exists():
        raise PermissionDenied("您无权确认该援疆项目组的预警。")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请填写确认说明：为什么这条预警可以暂不处理。"})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": f"确认说明不能超过{NOTE_MAX}字（现有{len(note)}字）。"})
    current = [
        w for w in evaluate([program], on=on, include_acknowledged=True) if w.fingerprint == fingerprint
    ]
    if not current:
        raise ValidationError({"fingerprint": "这条预警的情况已经变化或已消除，请刷新页面后再确认。"})
    w = current[0]
    return Acknowledgement.objects.create(
        program=program,
        rule=w.code,
        subject=w.subject,
        fingerprint=w.fingerprint,
        note=note,
        acknowledged_by=user,
    )
