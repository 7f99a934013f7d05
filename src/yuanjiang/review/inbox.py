"""The review inbox (待办): what waits for a user, across every reviewable ledger.

- 待我审核: submitted records of the programs the user approves for (lead, admin), without those they
  submitted themselves when settings.REVIEW_NO_SELF_APPROVAL is on;
- 退回给我: records the user submitted that were returned, with the reviewer's reason;
- 草稿: records not yet submitted in the programs the user may change (an import's rows arrive here);
- 待结账期间: program years that have ended and are not closed, for users who close periods.

Queries: a fixed number (one per reviewable model and section, one for the programs), never one per
record; the navigation's counts are two UNION queries after the user's programs (`counts`), kept for
the state of the data like figures (metrics.cache: any committed write of domain data counts them again).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from yuanjiang.accounts import scoping
from yuanjiang.metrics import cache as figure_cache
from yuanjiang.org import periods
from yuanjiang.review import services
from yuanjiang.review.choices import ReviewStatus
from yuanjiang.review.models import PeriodClose, Reviewable

LIMIT = 200  # rows shown per ledger and section (the count says how many there are)


def reviewable_models() -> list[type[Reviewable]]:
    return [
        m
        for m in apps.get_models()
        if issubclass(m, Reviewable) and getattr(m, "scope_path", None) and not m._meta.abstract
    ]


def _in(model, program_ids) -> Q:
    return Q(**{f"{model.scope_path}__in": list(program_ids)})


def approver_programs(user) -> list:
    programs = list(scoping.programs(user).select_related("provider"))
    return [p for p in programs if scoping.has_role(user, services.APPROVER_ROLES, p)]


def _to_review(model, user, program_ids):
    """Submitted records of `program_ids` (a global admin's: every program, `scoping.restrict`)."""
    if scoping.restriction(user) is None:
        qs = scoping.restrict(model.objects.all(), user)
    else:
        qs = model.objects.filter(_in(model, program_ids))
    qs = qs.filter(review_status=ReviewStatus.SUBMITTED)
    if settings.REVIEW_NO_SELF_APPROVAL:
        qs = qs.exclude(submitted_by=user)
    return qs


def _returned(model, user):
    return scoping.restrict(model.objects.all(), user).filter(
        review_status=ReviewStatus.RETURNED, submitted_by=user
    )


def drafts(model, user):
    return scoping.restrict(model.objects.all(), user, scoping.CHANGE).filter(
        review_status=ReviewStatus.DRAFT
    )


@dataclass
class Group:
    model: type
    records: list
    total: int

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def title(self) -> str:
        return str(self.model._meta.verbose_name_plural)


@dataclass
class Inbox:
    to_review: list[Group] = field(default_factory=list)
    returned: list[Group] = field(default_factory=list)
    drafts: list[Group] = field(default_factory=list)
    periods_due: list = field(default_factory=list)  # (program, Period)

    @staticmethod
    def _count(groups) -> int:
        return sum(g.total for g in groups)

    @property
    def to_review_count(self) -> int:
        return self._count(self.to_review)

    @property
    def returned_count(self) -> int:
        return self._count(self.returned)

    @property
    def drafts_count(self) -> int:
        return self._count(self.drafts)


def _group(model, qs) -> Group | None:
    related = ("submitted_by", "reviewed_by", *getattr(model, "table_select_related", ()))
    rows = list(qs.select_related(*related).order_by("-updated_at", "-pk")[: LIMIT + 1])
    if not rows:
        return None
    total = len(rows) if len(rows) <= LIMIT else qs.count()
    return Group(model=model, records=rows[:LIMIT], total=total)


def inbox_for(user, today: dt.date | None = None) -> Inbox:
    box = Inbox()
    approver = approver_programs(user)
    ids = [p.pk for p in approver]
    for model in reviewable_models():
        if ids:
            group = _group(model, _to_review(model, user, ids))
            if group:
                box.to_review.append(group)
        for target, qs in ((box.returned, _returned(model, user)), (box.drafts, drafts(model, user))):
            group = _group(model, qs)
            if group:
                target.append(group)
    box.periods_due = periods_due(user, today)
    return box


def periods_due(user, today: dt.date | None = None) -> list:
    """(program, period) for each ended program year not closed yet, of programs the user may close."""
    today = today or timezone.localdate()
    programs = [
        p
        for p in scoping.programs(user).select_related("provider")
        if scoping.has_role(user, services.CLOSER_ROLES, p)
    ]
    if not programs:
        return []
    closed = {}
    for close in PeriodClose.objects.active().filter(program__in=programs):
        closed.setdefault(close.program_id, []).append((close.start, close.end))
    due = []
    for program in programs:
        n = 1
        while True:
            try:
                period = periods.program_year(program, n)
            except periods.PeriodError:  # past the term's last year
                break
            if period.start > today:
                break
            if period.end < today and not any(
                s <= period.start and period.end <= e for s, e in closed.get(program.pk, [])
            ):
                due.append((program, period))
            n += 1
    return due


def counts(user) -> dict[str, int]:
    """{"to_review": n, "returned": n} for the navigation: two UNION queries (one for approvers)."""
    models = reviewable_models()
    result = {"to_review": 0, "returned": 0}
    if not models or not user.is_authenticated:
        return result
    # Counted once per state of the data (every page shows them): kept like figures (metrics.cache).
    cache_key = figure_cache.key(
        "inbox-counts", (user.pk, user.is_superuser, user.is_active, settings.REVIEW_NO_SELF_APPROVAL)
    )
    kept = figure_cache.get(cache_key)
    if kept is not None:
        return kept
    ids = [p.pk for p in approver_programs(user)]
    if ids:
        parts = [_to_review(m, user, ids).order_by().values_list("pk") for m in models]
        result["to_review"] = parts[0].union(*parts[1:], all=True).count()
    parts = [_returned(m, user).order_by().values_list("pk") for m in models]
    result["returned"] = parts[0].union(*parts[1:], all=True).count()
    figure_cache.put(cache_key, result)
    return result


def record_url(obj) -> str:
    parent = getattr(obj, "changelog_parent", None)
    parent = parent() if callable(parent) else parent
    for candidate in (obj, parent):
        if candidate is not None and hasattr(candidate, "get_absolute_url"):
            return candidate.get_absolute_url()
    return reverse("review:inbox")
