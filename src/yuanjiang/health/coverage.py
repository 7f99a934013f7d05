"""义诊乡镇覆盖: for a program and a period, every reference township of the program's county, with
whether it had a free clinic, its activities and beneficiaries, and the links that open them.

The page (`views.TownshipCoverageView`) only picks the program and the period and wires this in. A
fixed number of queries whatever the number of townships or activities: the townships, one grouped
aggregate over the activities, and the metrics.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.http import urlencode

from yuanjiang.health.choices import ActivityKind
from yuanjiang.health.models import MedicalActivity
from yuanjiang.health.townships import county_townships
from yuanjiang.metrics.registry import evaluate, get, review_filtered
from yuanjiang.metrics.scope import Scope
from yuanjiang.review.choices import COUNTS, COUNTS_APPROVED, ReviewStatus

COVERAGE_CODES = [
    "health.free_clinics",
    "health.free_clinic_beneficiaries",
    "health.free_clinic_townships",
    "health.county_townships",
    "health.free_clinic_township_coverage_rate",
]


@dataclass
class Coverage:
    scope: Scope
    cells: list[dict]  # one per township, in the reference list's order
    figures: list  # the COVERAGE_CODES figures, in that order
    free_clinic_list_url: str  # every free clinic of the program in the period

    @property
    def covered(self) -> int:
        return sum(c["covered"] for c in self.cells)


def township_coverage(program, period, visible, review: str | None = None) -> Coverage:
    """The coverage grid of `program` in `period`. `visible`: the programs the viewer may see (for the
    figures' scope). The grid counts what the coverage figures count: 已审核 activities by default,
    every one with review "all" (the review switch, docs/metrics.md "Review"); an unknown value is the
    default."""
    review = review if review in COUNTS else None
    townships = list(county_townships([program.recipient_region_id], on=period.end))
    counts = review or get("health.free_clinic_townships").counts
    free = Q(kind=ActivityKind.FREE_CLINIC)
    rows = (
        review_filtered(
            MedicalActivity.objects.filter(
                program=program,
                date__gte=period.start,
                date__lte=period.end,
                township__in=[t.pk for t in townships],
            ),
            counts,
        )
        .order_by()
        .values("township")
        .annotate(
            n_activities=Count("pk"),
            n_beneficiaries=Sum("beneficiaries"),
            n_free_clinics=Count("pk", filter=free),
            n_free_clinic_beneficiaries=Sum("beneficiaries", filter=free),
        )
    )
    by_township = {row["township"]: row for row in rows}
    list_url = reverse("health:medicalactivity_list")
    base = {
        "program": program.slug,
        "date_after": period.start.isoformat(),
        "date_before": period.end.isoformat(),
        **({"review_status": ReviewStatus.APPROVED} if counts == COUNTS_APPROVED else {}),
    }

    def url(**params) -> str:
        return f"{list_url}?{urlencode({**base, **params})}"

    cells = []
    for township in townships:
        row = by_township.get(township.pk, {})
        free_clinics = row.get("n_free_clinics") or 0
        cells.append(
            {
                "township": township,
                "covered": free_clinics > 0,
                "free_clinics": free_clinics,
                "free_clinic_beneficiaries": row.get("n_free_clinic_beneficiaries") or 0,
                "activities": row.get("n_activities") or 0,
                "beneficiaries": row.get("n_beneficiaries") or 0,
                "url": url(township=township.pk),
                "free_clinic_url": url(township=township.pk, kind=ActivityKind.FREE_CLINIC),
            }
        )
    scope = Scope(program=program, visible=visible, review=review)
    figures = evaluate(COVERAGE_CODES, scope, period)
    return Coverage(
        scope=scope,
        cells=cells,
        figures=[figures[code] for code in COVERAGE_CODES],
        free_clinic_list_url=url(kind=ActivityKind.FREE_CLINIC),
    )
