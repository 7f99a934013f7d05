"""IATI 2.03 activity export of a program's aid projects (`./yj iati`, the program page's download).

One <iati-activity> per AidProject: identifier (the configurable reporting-organisation identifier +
the project code), reporting org, title and description in zh, participating organisations by role,
activity status from the derived status (projects.status), activity dates (planned/actual start and
end), recipient country CN and a sub-national location by administrative code (`location_ref`),
the sector (OECD DAC 5-digit, from the admin-editable IatiSector table, else DEFAULT_SECTORS),
the budget (援疆资金 in the plan year), transactions (下达/拨付/支出 → IATI types 2/3/4, projects.choices),
and results from the project's structured outputs (ProjectOutput: planned quantity as the target).

The file is validated against the official 2.03 schema vendored in iati_files/schema-2.03 (IATI-Schemas,
branch version-2.03) and every code is checked against the IATI codelists vendored in
iati_files/codelists (tests/test_iati.py). A fixed number of queries whatever the number of projects.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from lxml import etree

from yuanjiang.api.codelists import FILES, codelist
from yuanjiang.projects.choices import IATI_TRANSACTION_TYPE, Category, Status
from yuanjiang.projects.models import FundTransaction
from yuanjiang.projects.status import status_of
from yuanjiang.review.choices import ReviewStatus

SCHEMA = FILES / "schema-2.03" / "iati-activities-schema.xsd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Project category → OECD DAC 5-digit sector (IATI Sector codelist); the admin's IatiSector rows win.
DEFAULT_SECTORS: dict[str, str] = {
    Category.INDUSTRY: "32130",  # SME development
    Category.EDUCATION: "11120",  # Education facilities and training
    Category.HEALTH: "12220",  # Basic health care
    Category.INFRASTRUCTURE: "16050",  # Multisector aid for basic social services
    Category.TALENT: "15110",  # Public sector policy and administrative management
    Category.CULTURE: "16061",  # Culture and recreation
    Category.EMPLOYMENT: "16020",  # Employment creation
    Category.RURAL: "43040",  # Rural development
    Category.OTHER: "43010",  # Multisector aid
}

# Derived status → IATI ActivityStatus: 1 pipeline, 2 implementation, 3 finalisation, 4 closed.
ACTIVITY_STATUS = {
    Status.NOT_STARTED: "1",
    Status.UNDERWAY: "2",
    Status.COMPLETED: "3",
    Status.DELIVERED: "3",
    Status.ACCEPTED: "4",
}

# Which codelist each coded attribute draws from (the test checks every one found in a file).
CODED = {
    ("activity-status", "code"): "ActivityStatus",
    ("activity-date", "type"): "ActivityDateType",
    ("participating-org", "role"): "OrganisationRole",
    ("participating-org", "type"): "OrganisationType",
    ("reporting-org", "type"): "OrganisationType",
    ("transaction-type", "code"): "TransactionType",
    ("budget", "type"): "BudgetType",
    ("budget", "status"): "BudgetStatus",
    ("sector", "code"): "Sector",
    ("sector", "vocabulary"): "SectorVocabulary",
    ("recipient-country", "code"): "Country",
    ("iati-activity", "default-currency"): "Currency",
    ("value", "currency"): "Currency",
    ("iati-activity", XML_LANG): "Language",
    ("narrative", XML_LANG): "Language",
    ("description", "type"): "DescriptionType",
    ("indicator", "measure"): "IndicatorMeasure",
    ("result", "type"): "ResultType",
    ("administrative", "vocabulary"): "GeographicVocabulary",
    ("administrative", "code"): "Country",  # vocabulary A4: ISO 3166-1 alpha-2
    ("location-reach", "code"): "GeographicLocationReach",
    ("exactness", "code"): "GeographicExactness",
    ("activity-scope", "code"): "ActivityScope",
}


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def reporting_org_ref(program) -> str:
    """The reporting organisation's IATI identifier: YJ_IATI_ORG_REF (settings / environment) when set
    (e.g. the provider's registered identifier), else one derived from the provider's slug."""
    configured = getattr(settings, "IATI_ORG_REF", "") or os.environ.get("YJ_IATI_ORG_REF", "")
    return configured or f"XI-YJ-{program.provider.slug}"


def location_ref(region) -> tuple[str, str]:
    """(ref, name) of a project's sub-national location: the statistics bureau's administrative code
    (Region.code, 12 digits at township level) and its name. IATI's GeographicVocabulary has no
    vocabulary for Chinese administrative codes, so the code goes into <location ref>, prefixed
    "CN-"; the one place to change should a national code field (issue 27) replace Region.code."""
    return f"CN-{region.code}", region.name


def sectors() -> dict[str, str]:
    from yuanjiang.api.models import IatiSector

    table = dict(DEFAULT_SECTORS)
    table.update(IatiSector.objects.values_list("category", "dac_code"))
    return table


def _money(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01'))}"


def _sub(parent, tag, text=None, **attrs):
    el = etree.SubElement(parent, tag, {k.replace("_", "-"): str(v) for k, v in attrs.items()})
    if text is not None:
        el.text = str(text)
    return el


def _narrative(parent, tag, text, **attrs):
    el = _sub(parent, tag, **attrs)
    _sub(el, "narrative", text)
    return el


def _org(parent, tag, name, **attrs):
    el = _sub(parent, tag, **attrs)
    _sub(el, "narrative", name)
    return el


def activity(root, project, *, org_ref: str, sector_table: dict, today: dt.date):
    program = project.program
    updated = project.updated_at or timezone.now()
    act = _sub(
        root,
        "iati-activity",
        **{"last-updated-datetime": updated.replace(microsecond=0).isoformat(), "default-currency": "CNY"},
    )
    act.set(XML_LANG, "zh")
    _sub(act, "iati-identifier", f"{org_ref}-{project.code}")
    _org(act, "reporting-org", program.provider.name, ref=org_ref, type="10")
    _narrative(act, "title", project.name)
    description = project.content or project.name
    _narrative(act, "description", description, type="1")
    _org(act, "participating-org", program.provider.name, role="1", type="10", ref=org_ref)
    _org(act, "participating-org", program.name, role="3", type="10")
    if project.supervising_unit:
        _org(act, "participating-org", project.supervising_unit, role="2", type="10")
    if project.implementing_unit:
        _org(act, "participating-org", project.implementing_unit, role="4")
    _sub(act, "activity-status", code=ACTIVITY_STATUS[status_of(project, today)])
    for iati_type, day in (
        ("1", project.planned_start),
        ("2", project.actual_start),
        ("3", project.planned_completion),
        ("4", project.actual_completion),
    ):
        if day is not None and (iati_type in "13" or day <= today):
            _sub(act, "activity-date", type=iati_type, iso_date=day.isoformat())
    # ActivityScope: 8 a single location (a township), 7 a single sub-national area (the county)
    _sub(act, "activity-scope", code="8" if project.township_id else "7")
    _sub(act, "recipient-country", code="CN", percentage="100")
    region = project.township or program.recipient_region
    ref, name = location_ref(region)
    location = _sub(act, "location", ref=ref)
    _sub(location, "location-reach", code="1")
    county = program.recipient_region.name
    _narrative(location, "name", county if region is program.recipient_region else f"{county}{name}")
    if project.location_detail:
        _narrative(location, "description", project.location_detail)
    _sub(location, "administrative", vocabulary="A4", level="0", code="CN")
    _sub(location, "exactness", code="2")
    _sub(act, "sector", vocabulary="1", code=sector_table[project.category], percentage="100")
    if project.aid_funds:
        budget = _sub(act, "budget", type="1", status="2")
        _sub(budget, "period-start", iso_date=f"{project.plan_year}-01-01")
        _sub(budget, "period-end", iso_date=f"{project.plan_year}-12-31")
        _sub(
            budget,
            "value",
            _money(project.aid_funds),
            currency="CNY",
            value_date=f"{project.plan_year}-01-01",
        )
    for tx in project.transactions.all():
        transaction = _sub(act, "transaction", ref=f"{project.code}-{tx.pk}")
        _sub(transaction, "transaction-type", code=IATI_TRANSACTION_TYPE[tx.kind])
        _sub(transaction, "transaction-date", iso_date=tx.date.isoformat())
        _sub(transaction, "value", _money(tx.amount), currency="CNY", value_date=tx.date.isoformat())
        if tx.source_document:
            _narrative(transaction, "description", tx.source_document)
    outputs = list(project.outputs.all())
    if outputs:
        result = _sub(act, "result", type="1")
        _narrative(result, "title", "项目产出")
        for output in outputs:
            indicator = _sub(result, "indicator", measure="1")
            _narrative(indicator, "title", f"{output.name}（{output.unit}）")
            period = _sub(indicator, "period")
            start = project.planned_start or dt.date(project.plan_year, 1, 1)
            end = project.planned_completion or dt.date(project.plan_year, 12, 31)
            _sub(period, "period-start", iso_date=start.isoformat())
            _sub(period, "period-end", iso_date=max(start, end).isoformat())
            _sub(period, "target", value=f"{output.quantity.normalize():f}")
    return act


def build(projects, *, today: dt.date | None = None) -> etree._ElementTree:
    """The <iati-activities> document of `projects` (an AidProject queryset)."""
    today = today or timezone.localdate()
    root = etree.Element(
        "iati-activities",
        {"version": "2.03", "generated-datetime": timezone.now().replace(microsecond=0).isoformat()},
    )
    sector_table = sectors()
    projects = (
        projects.select_related("program__provider", "program__recipient_region", "township")
        .prefetch_related(
            # what the figures count: reviewed (已审核) money only
            Prefetch(
                "transactions",
                queryset=FundTransaction.objects.filter(review_status=ReviewStatus.APPROVED).order_by(
                    "date", "id"
                ),
            ),
            "outputs",
        )
        .order_by("program_id", "plan_year", "code")
    )
    org_refs: dict[int, str] = {}
    for project in projects:
        if project.program_id not in org_refs:
            org_refs[project.program_id] = reporting_org_ref(project.program)
        activity(root, project, org_ref=org_refs[project.program_id], sector_table=sector_table, today=today)
    return etree.ElementTree(root)


def to_bytes(tree) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def validate(tree) -> list[str]:
    """The schema's complaints about `tree` (empty when valid)."""
    xsd = schema()
    if xsd.validate(tree):
        return []
    return [f"line {e.line}: {e.message}" for e in xsd.error_log]


def code_errors(tree) -> list[str]:
    """Every coded attribute whose value is not in its IATI codelist."""
    errors = []
    for el in tree.iter():
        for attr, value in el.attrib.items():
            name = CODED.get((el.tag, attr))
            if name and value not in codelist(name):
                errors.append(f'<{el.tag} {attr}="{value}">: not in codelist {name}')
    return errors
