"""Early warnings (预警) over review and closing (docs/warnings.md): records left waiting for review,
and program years ended but not closed (结账)."""

import datetime as dt

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from yuanjiang.common import formatting
from yuanjiang.org import periods
from yuanjiang.org.models import Program
from yuanjiang.review.choices import ReviewStatus
from yuanjiang.review.models import PeriodClose, Reviewable
from yuanjiang.warnings.registry import NOTICE, WARNING, Batch, Finding, Rule, register

REVIEW_WAIT_DAYS = 7
CLOSE_WITHIN_DAYS = 30
RECORDS_SHOWN = 50  # a finding names at most this many records (the oldest); its detail gives the count


def reviewable_models():
    return [
        m
        for m in apps.get_models()
        if issubclass(m, Reviewable)
        and getattr(m, "scope_path", None)
        and m.__module__.startswith("yuanjiang.")
    ]


def review_waiting(programs, on):
    """Records submitted (已提交) more than REVIEW_WAIT_DAYS days before `on` and not reviewed since: one
    finding per program and record type (one query per type, of ids, programs and dates only; the
    records a page shows are read together when it shows them: `registry.Batch`). A submitted
    record's `updated_at` is its submission: any later edit sends it back to 草稿
    (review.models.back_to_draft)."""
    cutoff = timezone.make_aware(dt.datetime.combine(on - dt.timedelta(days=REVIEW_WAIT_DAYS), dt.time.min))
    # The programs as a list of ids (one query): SQLite weighs a list's length against the
    # review_status index — a few programs are read by program, a whole country by its review
    # queue — where a subquery always sends it through every record of every program.
    program_ids = list(programs.values_list("pk", flat=True))
    for model in reviewable_models():
        path = model.scope_path
        waiting = model.objects.filter(
            **{f"{path}__in": program_ids}, review_status=ReviewStatus.SUBMITTED, updated_at__lt=cutoff
        )
        grouped: dict[int, list] = {}
        for pk, program_id, updated_at in waiting.order_by("updated_at", "pk").values_list(
            "pk", path, "updated_at"
        ):
            grouped.setdefault(program_id, []).append((pk, updated_at))
        if not grouped:
            continue
        related = [*model.table_select_related]
        if "__" in path:
            related.append(path.rsplit("__", 1)[0])
        shown = Batch(model.objects.select_related(*related))
        for program_id, waiting_rows in grouped.items():
            oldest = timezone.localtime(waiting_rows[0][1]).date()
            yield Finding(
                program_id=program_id,
                records=[shown.ref(pk) for pk, _ in waiting_rows[:RECORDS_SHOWN]],
                since=oldest + dt.timedelta(days=REVIEW_WAIT_DAYS + 1),
                detail=f"{len(waiting_rows)}条{model._meta.verbose_name}提交审核已超过{REVIEW_WAIT_DAYS}天，"
                f"最早的于{formatting.date(oldest)}提交",
                facts=tuple(pk for pk, _ in waiting_rows),
            )


def period_unclosed(programs, on):
    """A program year (首年, 第二年 …) ended more than CLOSE_WITHIN_DAYS days before `on` and not closed."""
    listed = list(Program.objects.filter(pk__in=programs).select_related("provider"))
    closes: dict[int, list] = {}
    for c in PeriodClose.objects.active().filter(program__in=programs).only("program_id", "start", "end"):
        closes.setdefault(c.program_id, []).append((c.start, c.end))
    for program in listed:
        n = 1
        while True:
            try:
                year = periods.program_year(program, n)
            except periods.PeriodError:
                break
            n += 1
            due = year.end + dt.timedelta(days=CLOSE_WITHIN_DAYS)
            if due >= on:
                break
            if any(start <= year.start and end >= year.end for start, end in closes.get(program.pk, [])):
                continue
            yield Finding(
                program_id=program.pk,
                records=[program],
                since=due + dt.timedelta(days=1),
                detail=f"{year.label}（{formatting.date(year.start)}至{formatting.date(year.end)}）"
                f"结束已超过{CLOSE_WITHIN_DAYS}天，尚未结账",
                facts=(year.start, year.end),
                url=reverse("review:periodclose_list", args=[program.slug]),
            )


register(
    Rule(
        code="review.waiting",
        label="记录待审核超过7天",
        severity=NOTICE,
        records="各类需审核的记录",
        period_rule=f"截至判断日已提交审核超过{REVIEW_WAIT_DAYS}天仍未审核的记录",
        find=review_waiting,
        margin=REVIEW_WAIT_DAYS,
    )
)
register(
    Rule(
        code="review.period_unclosed",
        label="任期年度结束超过30天未结账",
        severity=WARNING,
        records="org.Program",
        period_rule=f"任期年度（首年、第二年……）结束后{CLOSE_WITHIN_DAYS}天内未结账",
        find=period_unclosed,
        margin=CLOSE_WITHIN_DAYS,
    )
)
