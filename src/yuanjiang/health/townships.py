"""The county's reference townships (乡镇), the list the coverage of free clinics is measured against.

They are org's Region data (org/data/yining-townships.csv, loaded by org.services.reference_load):
the township-level divisions whose parent is the county. The corps farm the statistics bureau lists
under the county code (兵团七十团中心团场, kind 团场) is not a township of the county and is left out.
A division counts as of a date when it was valid then (valid_from / valid_to).
"""

import datetime as dt

from django.db.models import Q, QuerySet

from yuanjiang.org.models import Region

# 团场: the corps' farms; 乡级单位: development zones, state farms and other units the statistics bureau
# codes like a township (codes 4xx/5xx, org.services._division_kind), not among a county's 乡镇.
NOT_COUNTY_TOWNSHIP_KINDS = ("团场", "乡级单位")


def county_township_q(prefix: str = "", on: dt.date | None = None) -> Q:
    """Q for a Region (at `prefix`, e.g. "township__") that is a reference township of its county."""
    q = Q(**{f"{prefix}level": Region.Level.TOWNSHIP}) & ~Q(
        **{f"{prefix}kind__in": NOT_COUNTY_TOWNSHIP_KINDS}
    )
    if on is not None:
        q &= Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": on})
        q &= Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    return q


def county_townships(counties, on: dt.date | None = None) -> QuerySet:
    """The reference townships of `counties` (a Region queryset or list of pks), in code order."""
    return Region.objects.filter(county_township_q(on=on), parent__in=counties).order_by("code")
