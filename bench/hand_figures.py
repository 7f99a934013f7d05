"""Every declared figure by hand: the simplest correct SQL, written from the schema (not from the product).

One statement per records table: the scope's programs are a recursive walk of the organization tree
down from the scope's organization (or the one program), intersected with what the viewer may see
(a province user: the programs under their province; a clerk: their program), and each figure of the
table is one aggregate with a FILTER of its own conditions (a plain `FILTER (WHERE …)`, which SQLite
3.30+ and PostgreSQL both read). Reviewable records count when 已审核 (review_status = 'approved').

    figures(scope, period, viewer=None)        → {code: Decimal | None}
    figures(scope, period, viewer, by_program=True) → {program id: {code: Decimal | None}}

`scope` is a Scope-like object (its `program` or `organization`), `viewer` a Viewer (None: a
superuser). Money is summed by the database and rounded to the cent here; rates are percentages to
one decimal place (half up), None when the denominator is 0.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

_TO_CENTS = Decimal("0.01")
_FLOAT = Context(prec=15)


@dataclass(frozen=True)
class Viewer:
    """Who looks: a province's user (every program under that organization) or a program's clerk."""

    organization_id: int | None = None
    program_id: int | None = None


def money(value) -> Decimal:
    """A SUM as the database gives it (SQLite: a float; PostgreSQL: a numeric) → Decimal, to the cent."""
    if value is None:
        return Decimal(0)
    if isinstance(value, float):
        value = _FLOAT.create_decimal_from_float(value)
    return Decimal(value).quantize(_TO_CENTS)


def number(value) -> Decimal:
    return Decimal(0) if value is None else Decimal(value)


def rate(num, den) -> Decimal | None:
    if not den or num is None:
        return None
    return (Decimal(num) * 100 / Decimal(den)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    ).normalize() + 0


def _programs(scope, viewer) -> tuple[str, list]:
    """WITH clause defining progs(id): the scope's programs the viewer may see."""
    ctes, cte_params = [], []
    if scope.program is not None:
        where, params = "p.id = %s", [scope.program.pk]
    else:
        ctes.append(
            "tree(id) AS (SELECT id FROM org_organization WHERE id = %s UNION ALL "
            "SELECT o.id FROM org_organization o JOIN tree t ON o.parent_id = t.id)"
        )
        cte_params.append(scope.organization.pk)
        where, params = "p.provider_id IN (SELECT id FROM tree)", []
    if viewer is not None and viewer.program_id is not None:
        where += " AND p.id = %s"
        params.append(viewer.program_id)
    elif viewer is not None and viewer.organization_id is not None:
        ctes.append(
            "seen(id) AS (SELECT id FROM org_organization WHERE id = %s UNION ALL "
            "SELECT o.id FROM org_organization o JOIN seen s ON o.parent_id = s.id)"
        )
        cte_params.append(viewer.organization_id)
        where += " AND p.provider_id IN (SELECT id FROM seen)"
    ctes.append(f"progs(id) AS (SELECT p.id FROM org_program p WHERE {where})")
    return "WITH RECURSIVE " + ", ".join(ctes) + " ", cte_params + params


# Each table: (FROM … with its joins, the column holding the program, [(code, aggregate, kind)], WHERE
# beyond the scope). Placeholders: {s} {e} the period's first and last day, {y0} {y1} its years.
_PLAN = "(a.plan_year BETWEEN {y0} AND {y1} OR (a.plan_year < {y0} AND (a.actual_completion IS NULL OR a.actual_completion >= {s})))"
_NEW = "a.plan_year BETWEEN {y0} AND {y1}"
_IN = "{col} BETWEEN {s} AND {e}"

TABLES = [
    (
        "projects_aidproject a",
        "a.program_id",
        "",
        [
            ("projects.count", f"COUNT(*) FILTER (WHERE {_PLAN})", number),
            ("projects.count_new", f"COUNT(*) FILTER (WHERE {_NEW})", number),
            (
                "projects.count_continuing",
                "COUNT(*) FILTER (WHERE a.plan_year < {y0} AND (a.actual_completion IS NULL OR a.actual_completion >= {s}))",
                number,
            ),
            ("projects.started", f"COUNT(*) FILTER (WHERE {_PLAN} AND a.actual_start <= {{e}})", number),
            ("projects.started_new", f"COUNT(*) FILTER (WHERE {_NEW} AND a.actual_start <= {{e}})", number),
            (
                "projects.completed",
                f"COUNT(*) FILTER (WHERE {_PLAN} AND a.actual_completion <= {{e}})",
                number,
            ),
            ("projects.completed_total", "COUNT(*) FILTER (WHERE a.actual_completion <= {e})", number),
            ("projects.aid_funds_planned", f"SUM(a.aid_funds) FILTER (WHERE {_PLAN})", money),
        ],
    ),
    (
        "projects_fundtransaction t JOIN projects_aidproject a ON a.id = t.project_id",
        "a.program_id",
        "t.kind = 'disbursement' AND t.review_status = 'approved' AND t.date <= {e}",
        [
            ("projects.aid_funds_disbursed", "SUM(t.amount) FILTER (WHERE t.date >= {s})", money),
            ("projects.aid_funds_disbursed_to_date", f"SUM(t.amount) FILTER (WHERE {_PLAN})", money),
        ],
    ),
    (
        "projects_projectoutput o JOIN projects_aidproject a ON a.id = o.project_id",
        "a.program_id",
        f"{_PLAN} AND (o.name = '学位' OR o.unit = '学位')",
        [("education.school_places", "SUM(o.quantity)", money)],
    ),
    (
        "health_medicalactivity m LEFT JOIN org_region r ON r.id = m.township_id",
        "m.program_id",
        "m.review_status = 'approved' AND m.date BETWEEN {s} AND {e}",
        [
            ("health.activities", "COUNT(*)", number),
            ("health.beneficiaries", "SUM(m.beneficiaries)", number),
            ("health.free_clinics", "COUNT(*) FILTER (WHERE m.kind = 'free_clinic')", number),
            (
                "health.free_clinic_beneficiaries",
                "SUM(m.beneficiaries) FILTER (WHERE m.kind = 'free_clinic')",
                number,
            ),
            (
                "health.free_clinic_townships",
                "COUNT(DISTINCT m.township_id) FILTER (WHERE m.kind = 'free_clinic' "
                "AND r.level = 'township' AND r.kind <> '团场')",
                number,
            ),
            ("health.teleconsultations", "COUNT(*) FILTER (WHERE m.kind = 'teleconsultation')", number),
            (
                "health.teleconsultation_cases",
                "SUM(m.cases) FILTER (WHERE m.kind = 'teleconsultation')",
                number,
            ),
            ("health.expert_visits", "COUNT(*) FILTER (WHERE m.kind = 'expert_visit')", number),
            (
                "health.new_techniques",
                "COUNT(DISTINCT m.technique) FILTER (WHERE m.kind = 'new_technique' AND m.technique <> '')",
                number,
            ),
            (
                "health.new_technique_cases",
                "SUM(m.cases) FILTER (WHERE m.kind = 'new_technique' AND m.technique <> '')",
                number,
            ),
            ("health.health_education", "COUNT(*) FILTER (WHERE m.kind = 'health_education')", number),
            ("health.partner_hospitals", "COUNT(DISTINCT m.partner_hospital_id)", number),
        ],
    ),
    (
        "org_program p JOIN org_region r ON r.parent_id = p.recipient_region_id",
        "p.id",
        "r.level = 'township' AND r.kind <> '团场' AND (r.valid_from IS NULL OR r.valid_from <= {e}) "
        "AND (r.valid_to IS NULL OR r.valid_to >= {e})",
        # Each county once over an organization: its townships, counted once.
        [("health.county_townships", "COUNT(DISTINCT r.id)", number)],
    ),
    (
        "culture_cultureevent c",
        "c.program_id",
        "c.review_status = 'approved' AND c.date BETWEEN {s} AND {e}",
        [
            ("culture.events", "COUNT(*)", number),
            ("culture.event_participants", "SUM(c.participants)", number),
        ],
    ),
    (
        "consumption_purchase x",
        "x.program_id",
        "x.review_status = 'approved' AND x.date BETWEEN {s} AND {e}",
        [
            ("consumption.purchase_amount", "SUM(x.amount)", money),
            ("consumption.batches", "COUNT(*)", number),
            ("consumption.farm_purchase_amount", "SUM(x.amount) FILTER (WHERE x.category = 'farm')", money),
        ],
    ),
    (
        "talent_aidworker w",
        "w.program_id",
        "w.term_start <= {e} AND (w.term_end IS NULL OR w.term_end >= {e})",
        [("talent.aid_workers", "COUNT(*)", number)],
    ),
    (
        "talent_talentvisit v JOIN talent_talentfield f ON f.id = v.field_id",
        "v.program_id",
        "v.review_status = 'approved' AND v.start BETWEEN {s} AND {e}",
        [
            ("talent.visit_person_times", "SUM(v.person_times)", number),
            (
                "talent.shortage_visit_person_times",
                "SUM(v.person_times) FILTER (WHERE f.is_shortage)",
                number,
            ),
        ],
    ),
    (
        "talent_agreement g",
        "g.program_id",
        "g.review_status = 'approved' AND g.signed_on BETWEEN {s} AND {e}",
        [("talent.agreements", "COUNT(*)", number)],
    ),
    (
        "talent_trainingcourse k",
        "k.program_id",
        "k.review_status = 'approved' AND k.start BETWEEN {s} AND {e}",
        [
            ("training.courses", "COUNT(*)", number),
            ("training.person_times", "SUM(k.participants)", number),
            ("training.aid_funds", "SUM(k.aid_funds)", money),
        ],
    ),
    (
        "investment_promotionevent v",
        "v.program_id",
        "v.review_status = 'approved' AND v.kind = 'themed' AND v.date BETWEEN {s} AND {e}",
        [("investment.promotion_events", "COUNT(*)", number)],
    ),
    (
        "investment_contact c LEFT JOIN investment_enterprise n ON n.id = c.enterprise_id",
        "c.program_id",
        "c.review_status = 'approved' AND c.date BETWEEN {s} AND {e}",
        [
            (
                "investment.leading_enterprises_contacted",
                "COUNT(DISTINCT c.enterprise_id) FILTER (WHERE n.is_leading)",
                number,
            ),
            ("investment.enterprises_contacted", "COUNT(DISTINCT c.enterprise_id)", number),
            ("investment.institutions_visited", "COUNT(DISTINCT c.institution_id)", number),
        ],
    ),
    (
        "investment_investmentproject i",
        "i.program_id",
        "i.review_status = 'approved'",
        [
            (
                "investment.projects_signed",
                "COUNT(*) FILTER (WHERE i.signed_date BETWEEN {s} AND {e})",
                number,
            ),
            (
                "investment.signed_planned_investment",
                "SUM(i.planned_investment) FILTER (WHERE i.signed_date BETWEEN {s} AND {e})",
                money,
            ),
            (
                "investment.signed_expected_jobs",
                "SUM(i.expected_jobs) FILTER (WHERE i.signed_date BETWEEN {s} AND {e})",
                number,
            ),
            (
                "investment.projects_landed",
                "COUNT(*) FILTER (WHERE i.landed_date BETWEEN {s} AND {e})",
                number,
            ),
            (
                "investment.landed_planned_investment",
                "SUM(i.planned_investment) FILTER (WHERE i.landed_date BETWEEN {s} AND {e})",
                money,
            ),
            (
                "investment.projects_started",
                "COUNT(*) FILTER (WHERE i.started_date BETWEEN {s} AND {e})",
                number,
            ),
            (
                "investment.projects_operating",
                "COUNT(*) FILTER (WHERE i.operating_date BETWEEN {s} AND {e})",
                number,
            ),
            (
                "investment.park_projects",
                "COUNT(*) FILTER (WHERE i.park_id IS NOT NULL AND i.landed_date <= {e})",
                number,
            ),
            (
                "investment.park_planned_investment",
                "SUM(i.planned_investment) FILTER (WHERE i.park_id IS NOT NULL AND i.landed_date <= {e})",
                money,
            ),
            (
                "investment.park_jobs",
                "SUM(i.actual_jobs) FILTER (WHERE i.park_id IS NOT NULL AND i.landed_date <= {e})",
                number,
            ),
        ],
    ),
    (
        "investment_parkupgrade u JOIN projects_aidproject a ON a.id = u.aid_project_id",
        "a.program_id",
        "a.plan_year <= {y1}",
        [("investment.park_upgrade_funds", "SUM(a.aid_funds)", money)],
    ),
    (
        "education_funddonation x JOIN education_fund f ON f.id = x.fund_id",
        "f.program_id",
        "x.review_status = 'approved' AND x.date <= {e}",
        [
            ("education.fund_donations", "SUM(x.amount) FILTER (WHERE x.date >= {s})", money),
            ("education.fund_donations_to_date", "SUM(x.amount)", money),
            (
                "education.fund_founding_donations",
                "SUM(x.amount) FILTER (WHERE x.date >= {s} AND x.is_founding)",
                money,
            ),
        ],
    ),
    (
        "education_fundgrant x JOIN education_fund f ON f.id = x.fund_id",
        "f.program_id",
        "x.review_status = 'approved' AND x.date <= {e}",
        [
            ("education.fund_grants", "SUM(x.amount) FILTER (WHERE x.date >= {s})", money),
            ("education.fund_grant_recipients", "SUM(x.recipients) FILTER (WHERE x.date >= {s})", number),
            ("education.fund_grants_to_date", "SUM(x.amount)", money),
        ],
    ),
    (
        "education_teachingclass c JOIN education_school s ON s.id = c.school_id",
        "s.program_id",
        "c.track IN ('pilot', 'one_plus_three') AND c.established_on <= {e}",
        [("education.pilot_classes", "COUNT(*)", number)],
    ),
]

# Figures from figures: (code, numerator or minuend, denominator or subtrahend, how).
DERIVED = [
    ("projects.started_rate", "projects.started_new", "projects.count_new", rate),
    ("projects.completed_rate", "projects.completed", "projects.count", rate),
    (
        "projects.disbursement_rate",
        "projects.aid_funds_disbursed_to_date",
        "projects.aid_funds_planned",
        rate,
    ),
    (
        "health.free_clinic_township_coverage_rate",
        "health.free_clinic_townships",
        "health.county_townships",
        rate,
    ),
    ("education.fund_balance", "education.fund_donations_to_date", "education.fund_grants_to_date", None),
]

# 报送数: what other bodies reported (metrics_manualvalue), a FLOW: values whose reporting period lies
# in the statistics period; None when nothing was reported.
REPORTED = ["culture.tourist_visits", "culture.tourism_revenue"]


def _fill(sql: str, period) -> tuple[str, list]:
    """The statement with %s for each placeholder, and its parameters in order."""
    values = {"s": period.start, "e": period.end, "y0": period.start.year, "y1": period.end.year}
    params = []
    out = []
    i = 0
    while i < len(sql):
        if sql[i] == "{":
            j = sql.index("}", i)
            params.append(values[sql[i + 1 : j]])
            out.append("%s")
            i = j + 1
        else:
            out.append(sql[i])
            i += 1
    return "".join(out), params


def statements(scope, period, viewer=None, by_program=False):
    """[(sql, params, codes and converters)]: one statement per table, and one for the 报送数."""
    with_sql, with_params = _programs(scope, viewer)
    result = []
    for table, program_col, where, columns in TABLES:
        select = ", ".join(agg for _code, agg, _conv in columns)
        condition = f"{program_col} IN (SELECT id FROM progs)" + (f" AND {where}" if where else "")
        if by_program:
            body = f"SELECT {program_col}, {select} FROM {table} WHERE {condition} GROUP BY {program_col}"
        else:
            body = f"SELECT {select} FROM {table} WHERE {condition}"
        sql, params = _fill(body, period)
        result.append((with_sql + sql, with_params + params, [(c, conv) for c, _a, conv in columns]))
    reported = (
        "SELECT "
        + ("v.program_id, " if by_program else "")
        + ", ".join(
            f"SUM(v.value) FILTER (WHERE v.metric = '{code}'), COUNT(*) FILTER (WHERE v.metric = '{code}')"
            for code in REPORTED
        )
        + " FROM metrics_manualvalue v WHERE v.program_id IN (SELECT id FROM progs) AND v.review_status = "
        "'approved' AND v.period_start >= %s AND v.period_end <= %s"
        + (" GROUP BY v.program_id" if by_program else "")
    )
    result.append((with_sql + reported, [*with_params, period.start, period.end], None))
    return result


def _reported(row) -> dict:
    out = {}
    for i, code in enumerate(REPORTED):
        total, n = row[2 * i], row[2 * i + 1]
        out[code] = (Decimal(total) if not isinstance(total, float) else money(total)) if n else None
    return out


def _derive(values: dict) -> dict:
    for code, a, b, how in DERIVED:
        values[code] = how(values[a], values[b]) if how else values[a] - values[b]
    return values


def empty() -> dict:
    values = {code: conv(None) for _t, _c, _w, columns in TABLES for code, _a, conv in columns}
    values.update(dict.fromkeys(REPORTED))
    return _derive(values)


def figures(scope, period, viewer=None, by_program=False, program_ids=None):
    """Every declared figure of the scope and period as the viewer sees it (see the module)."""
    from django.db import connection

    plans = statements(scope, period, viewer, by_program)
    with connection.cursor() as cursor:
        rows = []
        for sql, params, _columns in plans:
            cursor.execute(sql, params)
            rows.append(cursor.fetchall())
    if not by_program:
        values = {}
        for (_sql, _params, columns), result in zip(plans, rows, strict=True):
            if columns is None:
                values.update(_reported(result[0]))
            else:
                values.update({code: conv(v) for (code, conv), v in zip(columns, result[0], strict=True)})
        return _derive(values)
    per: dict[int, dict] = {}
    for (_sql, _params, columns), result in zip(plans, rows, strict=True):
        for pid, *vs in result:
            target = per.setdefault(pid, {})
            if columns is None:
                target.update(_reported(vs))
            else:
                target.update({code: conv(v) for (code, conv), v in zip(columns, vs, strict=True)})
    blank = empty()
    return {pid: _derive({**blank, **per.get(pid, {})}) for pid in program_ids}
