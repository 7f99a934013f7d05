"""The computed report card: definition × scope × period → sections → lines → figures.

`report_build` computes one `Report` (every figure with its metric, value, unit, display, target and
the link to its records); the renderers (reports/render/) only write it out. `report_publish` keeps an
immutable snapshot; `publication_differences` says which published figures the records no longer
support, by how much, and which record changes did it.

Queries: one `evaluate` call (one aggregate query per count or sum metric), one for targets, and for a
roll-up one grouped query per metric: the count depends on the definition, never on the records.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from yuanjiang.cnnum.numerals import int_to_chinese
from yuanjiang.common import formatting
from yuanjiang.metrics import registry
from yuanjiang.metrics.registry import Metric, RateMetric
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.models import Program
from yuanjiang.org.periods import Period
from yuanjiang.reports import definition as defs
from yuanjiang.reports.models import Publication, PublicationFile, Target

RATE_UNITS = ("%", "百分点")

logger = logging.getLogger("yuanjiang.reports")


def metric_url(code: str, query: dict[str, str], period: Period) -> str:
    """The page listing the records behind a figure (same as the `metric_url` template tag)."""
    return reverse("metrics:metric_records", args=[code]) + "?" + urlencode({**query, "period": period.token})


def json_number(value):
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass
class ReportFigure:
    metric: Metric
    value: Decimal | None
    display: str
    url: str
    target: Decimal | None = None
    # Filled when the page compares with a publication: the published value, if it differs.
    published: Decimal | None = None
    changed: bool = False

    @property
    def code(self) -> str:
        return self.metric.code

    @property
    def unit(self) -> str:
        return self.metric.unit

    @property
    def label(self) -> str:
        return self.metric.label

    @property
    def exact(self) -> str:
        return formatting.exact(self.value, self.unit)

    @property
    def target_display(self) -> str:
        return formatting.exact(self.target, self.unit) if self.target is not None else ""

    @property
    def behind(self) -> bool:
        return self.target is not None and (self.value is None or self.value < self.target)

    @property
    def completion(self) -> str:
        """Actual ÷ target, for count and sum metrics (a rate's target is compared directly)."""
        if self.target in (None, 0) or self.value is None or self.unit in RATE_UNITS:
            return ""
        return formatting.exact((self.value * 100 / self.target).quantize(Decimal("0.1")), "%")

    def as_json(self) -> dict:
        return {
            "metric": self.code,
            "value": json_number(self.value),
            "unit": self.unit,
            "display": self.display,
        }


@dataclass
class ReportLine:
    text: str
    parts: list  # str | ReportFigure, in order
    figures: list[ReportFigure]

    @property
    def has_target(self) -> bool:
        return any(f.target is not None for f in self.figures)

    @property
    def behind(self) -> bool:
        return any(f.behind for f in self.figures)


@dataclass
class ReportSection:
    number: int
    title: str
    lines: list[ReportLine]

    @property
    def heading(self) -> str:
        return f"{int_to_chinese(self.number)}、{self.title}"


@dataclass
class RollupRow:
    metric: Metric
    values: list[Decimal | None]  # per program of the roll-up, in its order
    total: Decimal | None
    total_url: str
    programs: list[Program] = field(repr=False, default_factory=list)
    period: Period | None = None

    @functools.cached_property
    def cells(self) -> list[tuple[Decimal | None, str]]:
        """Per program: (value, records url). Built when a document prints them (the JSON does not):
        the page's address once, each program's query on it, as metric_url() writes it."""
        base = reverse("metrics:metric_records", args=[self.metric.code])
        period = urlencode({"period": self.period.token})
        return [
            (value, f"{base}?{urlencode({'program': p.slug})}&{period}")
            for value, p in zip(self.values, self.programs, strict=True)
        ]

    def displays(self):
        return [(formatting.exact(v, self.metric.unit), url) for v, url in self.cells]

    @property
    def total_display(self) -> str:
        return formatting.exact(self.total, self.metric.unit)


@dataclass
class Rollup:
    programs: list[Program]
    rows: list[RollupRow]


@dataclass
class Report:
    definition: defs.Definition
    scope: Scope
    period: Period
    raw_title: str
    subtitle: str
    sections: list[ReportSection]
    generated_at: dt.datetime
    rollup: Rollup | None = None
    figures_by_code: dict[str, ReportFigure] = field(default_factory=dict)
    # The site's address ("https://host"), so that documents link to the records (XLSX hyperlinks):
    # the request's on the web, settings.SITE_URL on the command line.
    base_url: str = ""
    requested: str = ""  # the definition asked for (an organization's card uses its roll-up definition)

    def absolute(self, url: str) -> str:
        from django.conf import settings

        base = (self.base_url or getattr(settings, "SITE_URL", "")).rstrip("/")
        return f"{base}{url}" if base and url.startswith("/") else url

    @property
    def title_lines(self) -> list[str]:
        """The title as the documents break it (a newline in the definition's title)."""
        return [part for part in self.raw_title.split("\n") if part.strip()]

    @property
    def program(self):
        return self.scope.program

    @property
    def organization(self):
        return self.scope.organization

    @property
    def title(self) -> str:
        return "".join(self.title_lines)

    @property
    def figures(self) -> list[ReportFigure]:
        """Every figure of the report, in reading order (a metric used twice appears twice)."""
        return [f for s in self.sections for line in s.lines for f in line.figures]

    @property
    def period_label(self) -> str:
        return _period_label(self.period)

    @property
    def has_targets(self) -> bool:
        return any(f.target is not None for f in self.figures)

    @property
    def query(self) -> dict[str, str]:
        """The web page's query (the scope is in the path)."""
        return {"period": self.period.token, "definition": self.requested or self.definition.name}

    @property
    def filename(self) -> str:
        return f"成绩单-{self.scope.slug}-{self.period.start:%Y%m%d}-{self.period.end:%Y%m%d}"

    def as_json(self) -> dict:
        """Exactly the issue's JSON: title, program or organization, period, sections → lines → figures."""
        key = "program" if self.scope.program is not None else "organization"
        return {
            "title": self.title,
            key: self.scope.slug,
            "period": self.period.as_dict(),
            "sections": [
                {
                    "title": s.title,
                    "lines": [
                        {"text": line.text, "figures": [f.as_json() for f in line.figures]}
                        for line in s.lines
                    ],
                }
                for s in self.sections
            ],
        }


def _period_label(period: Period) -> str:
    return f"{formatting.date(period.start)}至{formatting.date(period.end)}"


def _targets(scope: Scope, period: Period, codes) -> dict[str, Decimal]:
    """Targets for exactly this period: one query. Over an organization, the programs' targets of
    count and sum metrics are added up (a rate's targets do not add up, so none is shown)."""
    qs = Target.objects.filter(period_start=period.start, period_end=period.end, metric__in=list(codes))
    if scope.program is not None:
        return dict(qs.filter(program=scope.program).values_list("metric", "value"))
    totals = qs.filter(program__in=scope.programs()).values("metric").annotate(total=Sum("value")).order_by()
    return {
        row["metric"]: row["total"] for row in totals if registry.get(row["metric"]).unit not in RATE_UNITS
    }


def report_build(
    definition: defs.Definition, scope: Scope, period: Period, *, rollup: bool | None = None
) -> Report:
    """Compute the report card. `rollup` (default: for an organization) adds the programs side by side.

    For an organization the definition's roll-up definition is used, if it names one. Each line shows
    the first of its wordings whose figures are all positive, and its optional clauses whose figures
    are; a line with none is left out, and so is a section left without lines (definition.py)."""
    requested = definition.name
    definition = defs.for_scope(definition, scope)
    codes = list(definition.codes)
    with_rollup = rollup if rollup is not None else scope.organization is not None
    by_program = None
    if codes and with_rollup:
        # Each figure read once for the total and the programs' table: the tables grouped by program,
        # the totals their sums (distinct counts and rates over the whole scope).
        values, by_program = registry.evaluate_with_programs(codes, codes, scope, period)
    else:
        values = registry.evaluate(codes, scope, period) if codes else {}
    targets = _targets(scope, period, codes) if codes else {}
    raw = {code: values[code].value for code in codes}
    query = scope.query_param
    urls = {code: metric_url(code, query, period) for code in codes}
    by_code: dict[str, ReportFigure] = {}

    def figure(part: defs.Placeholder) -> ReportFigure:
        metric = registry.get(part.code)
        value = raw[part.code]
        return ReportFigure(
            metric=metric,
            value=value,
            display=part.display(value, metric.unit),
            url=urls[part.code],
            target=targets.get(part.code),
        )

    sections = []
    for sdef in definition.sections:
        lines = []
        for ldef in sdef.lines:
            sentence = defs.choose(ldef, raw)
            if sentence is None:
                continue
            parts, figures = [], []
            for part in sentence.parts:
                if isinstance(part, defs.Clause):
                    if not all(defs.positive(raw[p.code]) for p in part.placeholders):
                        continue
                    pieces = part.parts
                else:
                    pieces = (part,)
                for piece in pieces:
                    if isinstance(piece, str):
                        parts.append(piece)
                        continue
                    fig = figure(piece)
                    by_code.setdefault(piece.code, fig)
                    parts.append(fig)
                    figures.append(fig)
            text = "".join(p if isinstance(p, str) else p.display for p in parts)
            lines.append(ReportLine(text=text, parts=parts, figures=figures))
        if lines:
            sections.append(ReportSection(number=len(sections) + 1, title=sdef.title, lines=lines))
    # Every figure of the definition, shown or not: the roll-up table and a publication's snapshot
    # keep them all (a figure left out now may be shown after a correction).
    for code in codes:
        if code not in by_code:
            by_code[code] = figure(defs.Placeholder(code))
    by_code = {code: by_code[code] for code in codes}
    # Titles use an organization's short name (江苏援伊前方指挥部): the full name breaks a 二号 title line.
    name = (
        scope.program.name
        if scope.program is not None
        else (scope.organization.short_name or scope.organization.name)
    )
    title, subtitle = definition.heading(name, _period_label(period))
    report = Report(
        definition=definition,
        scope=scope,
        period=period,
        raw_title=title,
        subtitle=subtitle,
        sections=sections,
        generated_at=timezone.localtime(),
        figures_by_code=by_code,
        requested=requested,
    )
    if with_rollup:
        report.rollup = _rollup(report, codes, by_program or {})
    return report


def _rollup(report: Report, codes: list[str], by_program: dict) -> Rollup:
    scope, period = report.scope, report.period
    programs = list(scope.programs().select_related("provider", "recipient_region"))
    rows = []
    for code in codes:
        metric = registry.get(code)
        values = [by_program.get(p.pk, {}).get(code) for p in programs]
        total = report.figures_by_code[code]
        rows.append(
            RollupRow(
                metric=metric,
                values=values,
                total=total.value,
                total_url=total.url,
                programs=programs,
                period=period,
            )
        )
    return Rollup(programs=programs, rows=rows)


# ---- publication -----------------------------------------------------------------------------------


def _dependencies(code: str) -> list[str]:
    metric = registry.get(code)
    if isinstance(metric, RateMetric):
        return [dep for d in metric.dependencies() for dep in _dependencies(d)]
    return [code]


def _records_of(code: str, scope: Scope, period: Period) -> tuple[str, list[str]]:
    qs = registry.get(code).records(scope, period)
    return qs.model._meta.label_lower, [str(pk) for pk in qs.order_by().values_list("pk", flat=True)]


def snapshot_of(report: Report) -> dict:
    """The figures as published and, for each count or sum behind them, the ids of the records counted
    (so a later change can be traced to the records that moved the figure). One query per metric."""
    values = {
        code: (None if f.value is None else format(f.value, "f"))
        for code, f in report.figures_by_code.items()
    }
    record_codes = []
    for code in report.figures_by_code:
        for dep in _dependencies(code):
            if dep not in record_codes:
                record_codes.append(dep)
    records = {}
    for code in record_codes:
        model, ids = _records_of(code, report.scope, report.period)
        records[code] = {"model": model, "ids": ids}
    return {"report": report.as_json(), "values": values, "records": records}


def content_hash(snapshot: dict, files: dict[str, bytes]) -> str:
    """SHA-256 over the canonical JSON of the snapshot, then each file's format and SHA-256 in format order."""
    h = hashlib.sha256(
        json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    )
    for fmt in sorted(files):
        h.update(f"\n{fmt}:{hashlib.sha256(files[fmt]).hexdigest()}".encode())
    return h.hexdigest()


def tampering(publication) -> str | None:
    """Why the stored publication no longer matches what was published (its figures, a file, or a
    file's own digest changed since), or None. Reads the files' contents (one query); logs a mismatch."""
    files = {f.format: (bytes(f.content), f.sha256) for f in publication.files.all()}
    problems = [
        fmt
        for fmt, (content, digest) in sorted(files.items())
        if hashlib.sha256(content).hexdigest() != digest
    ]
    if content_hash(publication.snapshot, {fmt: c for fmt, (c, _d) in files.items()}) != publication.sha256:
        problems.insert(0, "内容摘要")
    if not problems:
        return None
    logger.error(
        "published report card %s does not match its SHA-256 (%s): tampered with in the database",
        publication.pk,
        ", ".join(problems),
    )
    return (
        f"该成绩单存储的内容与发布时的摘要（SHA-256 {publication.sha256[:12]}…）不符"
        f"（{'、'.join(problems)}），可能已被篡改，系统拒绝提供。请通知审计人员核查。"
    )


def report_publish(*, report: Report, user, formats=None) -> Publication:
    """Render every format and keep the figures, record ids and files as an immutable snapshot. A
    publication of a period already published names the one it replaces (`replaces`)."""
    from yuanjiang.reports import render

    files = {fmt: render.render(report, fmt) for fmt in (formats or render.FORMATS)}
    snapshot = snapshot_of(report)
    with transaction.atomic():
        previous = latest_publication(report)  # a second publication of the period says what it replaces
        publication = Publication(
            replaces=previous,
            definition_name=report.definition.name,
            title=report.title,
            program=report.scope.program,
            organization=report.scope.organization,
            period_start=report.period.start,
            period_end=report.period.end,
            published_by=user,
            snapshot=snapshot,
            sha256=content_hash(snapshot, files),
        )
        publication.save()
        for fmt, content in files.items():
            PublicationFile(publication=publication, format=fmt, content=content).save()
    return publication


def latest_publication(report: Report) -> Publication | None:
    qs = Publication.objects.filter(
        definition_name=report.definition.name, period_start=report.period.start, period_end=report.period.end
    ).select_related("published_by")
    if report.scope.program is not None:
        qs = qs.filter(program=report.scope.program)
    else:
        qs = qs.filter(organization=report.scope.organization)
    return qs.first()


@dataclass
class Difference:
    figure: ReportFigure
    published: Decimal | None
    current: Decimal | None
    changes: list = field(default_factory=list)  # ObjectChange rows that touched its records

    @property
    def delta(self) -> str:
        if self.published is None or self.current is None:
            return "—"
        d = self.current - self.published
        sign = "+" if d > 0 else "−" if d < 0 else "±"
        if self.figure.unit == "%":  # a rate moves by percentage points
            return sign + formatting.exact(abs(d), "") + "个百分点"
        return sign + formatting.exact(abs(d), self.figure.unit)

    @property
    def published_display(self) -> str:
        return formatting.exact(self.published, self.figure.unit)


def _decimal(text):
    return None if text is None else Decimal(text)


def publication_differences(report: Report, publication: Publication) -> list[Difference]:
    """The published figures the records no longer give, by how much, and the change-log entries of
    their records (the models and programs counted) since publication. Marks the report's figures.

    Queries: none when nothing differs; otherwise one per count or sum behind a differing figure (the
    records counted now) and one for the change log."""
    from yuanjiang.core.models import ObjectChange

    published_values = publication.snapshot.get("values", {})
    published_records = publication.snapshot.get("records", {})
    diffs: list[Difference] = []
    for code, fig in report.figures_by_code.items():
        if code not in published_values:
            continue
        published = _decimal(published_values[code])
        if published == fig.value:
            continue
        diffs.append(Difference(figure=fig, published=published, current=fig.value))
    if not diffs:
        return []
    for f in report.figures:
        for d in diffs:
            if f.code == d.figure.code:
                f.changed, f.published = True, d.published
    # The records behind each differing figure, then and now.
    wanted: dict[str, tuple[str, set[str]]] = {}
    for d in diffs:
        for dep in _dependencies(d.figure.code):
            if dep in wanted:
                continue
            model, ids = _records_of(dep, report.scope, report.period)
            then = published_records.get(dep, {})
            wanted[dep] = (model, set(ids) | set(then.get("ids", [])))
    cts = {}
    q = Q()
    for model, ids in wanted.values():
        app_label, model_name = model.split(".")
        ct = cts.setdefault(model, ContentType.objects.get_by_natural_key(app_label, model_name))
        if ids:
            q |= Q(content_type=ct, object_id__in=sorted(ids))
    if not q:
        return diffs
    from yuanjiang.core import history

    changes = history.fill(
        ObjectChange.objects.filter(q, changeset__time__gt=publication.published_at)
        .filter(Q(program__in=report.scope.programs()) | Q(program__isnull=True))
        .select_related("content_type", "changeset")
        .order_by("id")
    )
    for d in diffs:
        keys = set()
        for dep in _dependencies(d.figure.code):
            model, ids = wanted[dep]
            keys |= {(cts[model].pk, i) for i in ids}
        d.changes = [c for c in changes if (c.content_type_id, c.object_id) in keys]
    return diffs


def replaces_text(publication: Publication) -> str:
    """What a publication replaces, said to the user ("" for a first publication)."""
    old = publication.replaces
    if old is None:
        return ""
    who = (old.published_by.get_full_name() or old.published_by.username) if old.published_by else "—"
    return (
        f"本次发布取代了{timezone.localtime(old.published_at):%Y-%m-%d %H:%M}由{who}发布的同期成绩单"
        f"（摘要 {old.sha256[:12]}…），旧版本仍保留可查。"
    )
