import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from yuanjiang.common import formatting, validators
from yuanjiang.common.fields import PLAUSIBLE_PROJECT, MoneyField
from yuanjiang.kernel.models import DomainModel, DomainQuerySet
from yuanjiang.projects import status as project_status
from yuanjiang.projects.choices import Category, DeliveryMode, Nature, TransactionKind
from yuanjiang.review.models import Reviewable

NON_NEGATIVE_QUANTITY = [MinValueValidator(Decimal("0"), message="数量不能为负数。")]

# Milestones: (kind label, planned field, actual field), in their natural order.
MILESTONES = (
    ("开工", "planned_start", "actual_start"),
    ("完工", "planned_completion", "actual_completion"),
    ("交付/投产", "planned_delivery", "actual_delivery"),
    ("验收", "planned_acceptance", "actual_acceptance"),
)


class AidProjectQuerySet(DomainQuerySet):
    def with_status(self, on: dt.date | None = None):
        return self.annotate(status_code=project_status.status_expression(on or timezone.localdate()))

    def in_status(self, status: str, on: dt.date | None = None):
        return self.filter(project_status.status_q(status, on or timezone.localdate()))


class AidProject(DomainModel):
    """援疆项目: one project of a program's annual plan, with its milestones, money and outputs."""

    program = models.ForeignKey(
        "org.Program", verbose_name="援疆项目组", on_delete=models.PROTECT, related_name="aid_projects"
    )
    code = models.CharField("项目编号", max_length=40)
    name = models.CharField("项目名称", max_length=200)
    category = models.CharField("项目类别", max_length=20, choices=Category.choices)
    nature = models.CharField("建设性质", max_length=20, choices=Nature.choices, default=Nature.NEW)
    delivery_mode = models.CharField(
        "援建方式", max_length=10, choices=DeliveryMode.choices, default=DeliveryMode.CHEQUE
    )
    township = models.ForeignKey(
        "org.Region",
        verbose_name="建设地点（乡镇）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="县级统筹的项目可不填",
    )
    location_detail = models.CharField("详细地点", max_length=200, blank=True)
    implementing_unit = models.CharField("实施单位", max_length=150, blank=True)
    supervising_unit = models.CharField("主管部门", max_length=150, blank=True)
    aid_side_contact = models.CharField("援方责任人", max_length=50, blank=True)
    local_contact = models.CharField("受援方责任人", max_length=50, blank=True)
    plan_year = models.PositiveSmallIntegerField(
        "计划年度",
        validators=[
            MinValueValidator(validators.AID_START.year, f"计划年度不早于{validators.AID_START.year}年。"),
            MaxValueValidator(2100, "计划年度不晚于2100年。"),
        ],
    )
    total_investment = MoneyField("总投资（元）", default=Decimal("0"), plausible=PLAUSIBLE_PROJECT)
    aid_funds = MoneyField("援疆资金（元）", default=Decimal("0"), plausible=PLAUSIBLE_PROJECT)
    other_funds = MoneyField("其他资金（元）", default=Decimal("0"), plausible=PLAUSIBLE_PROJECT)
    content = models.TextField("建设内容及规模", blank=True)
    expected_beneficiaries = models.PositiveIntegerField("预计受益人数", null=True, blank=True)
    expected_jobs = models.PositiveIntegerField("预计带动就业（人）", null=True, blank=True)
    planned_start = models.DateField("计划开工日期", null=True, blank=True)
    actual_start = models.DateField("实际开工日期", null=True, blank=True)
    planned_completion = models.DateField("计划完工日期", null=True, blank=True)
    actual_completion = models.DateField("实际完工日期", null=True, blank=True)
    planned_delivery = models.DateField("计划交付/投产日期", null=True, blank=True)
    actual_delivery = models.DateField("实际交付/投产日期", null=True, blank=True)
    planned_acceptance = models.DateField("计划验收日期", null=True, blank=True)
    actual_acceptance = models.DateField("实际验收日期", null=True, blank=True)
    # The handover (org.handover): an unfinished project carried into the next batch is copied there
    # as its 续建 record, linked to its origin; both carry the handover date, and the figures count
    # the origin before it and the copy from it on (projects.metrics.counted_once).
    carried_from = models.ForeignKey(
        "self",
        verbose_name="接续自（上一批次项目）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_to",
        editable=False,  # set by the handover only (org.handover), never typed in a form or a ledger
    )
    handed_over_on = models.DateField("移交日期", null=True, blank=True, editable=False)

    objects = AidProjectQuerySet.as_manager()
    scope_path = "program"
    # Milestones that figures count (开工率, 完工率): frozen where they fall in a closed period.
    period_dates = tuple(actual for _label, _planned, actual in MILESTONES)
    table_columns = (
        "code",
        "name",
        "program",
        "category",
        "township",
        "plan_year",
        "aid_funds",
        "actual_start",
        "actual_completion",
    )
    table_select_related = ("program", "township")

    class Meta:
        verbose_name = "援疆项目"
        verbose_name_plural = "援疆项目"
        ordering = ["program", "plan_year", "code"]
        # Serves the list's order within a scope (common.pagination.served_ordering): a page of a
        # wide scope is read in index order instead of sorting every project.
        indexes = [
            models.Index(fields=["program", "plan_year", "code"], name="aidproject_list_order"),
            # Covers what the project figures read of a scope's projects (the period rule's dates, the
            # planned funds, and the id that joins the fund transactions): the organization overview's
            # figures by program are read from this index alone, not from 30 000 table rows.
            models.Index(
                fields=["program", "plan_year", "actual_completion", "actual_start", "aid_funds", "id"],
                name="aidproject_figures",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="aidproject_unique_code_per_program"),
            models.CheckConstraint(
                condition=models.Q(aid_funds__gte=0), name="aidproject_aid_funds_non_negative"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:aidproject_detail", args=[self.pk])

    def status_on(self, on: dt.date | None = None):
        return project_status.status_of(self, on or timezone.localdate())

    @property
    def status(self):
        return self.status_on()

    def milestones(self):
        return [(label, getattr(self, p), getattr(self, a)) for label, p, a in MILESTONES]

    @classmethod
    def clean_batch(cls, objs) -> list[dict[str, str]]:
        """Aid funds not below what the project has disbursed (one query for all the projects)."""
        errors = [{} for _ in objs]
        ids = [o.pk for o in objs if o.pk and o.aid_funds is not None]
        if not ids:
            return errors
        disbursed = dict(
            FundTransaction.objects.filter(project__in=ids, kind=TransactionKind.DISBURSEMENT)
            .values_list("project")
            .annotate(total=models.Sum("amount"))
            .values_list("project", "total")
        )
        for found, obj in zip(errors, objs, strict=True):
            total = disbursed.get(obj.pk)
            if obj.pk and obj.aid_funds is not None and total and total > obj.aid_funds:
                found["aid_funds"] = f"本项目已拨付{formatting.money(total)}，援疆资金不能少于已拨付金额。"
        return errors

    def clean(self):
        errors = {}
        validators.check_past_dates(errors, self, *(actual for _label, _planned, actual in MILESTONES))
        # Each milestone comes after the previous one, for planned and for actual dates alike.
        for kind, index in (("计划", 1), ("实际", 2)):
            previous = None
            for milestone in MILESTONES:
                field = milestone[index]
                value = getattr(self, field)
                if value is None:
                    continue
                if previous and value < previous[1]:
                    errors.setdefault(
                        field,
                        f"{kind}{milestone[0]}日期（{value:%Y-%m-%d}）不能早于{kind}{previous[0]}日期"
                        f"（{previous[1]:%Y-%m-%d}）。",
                    )
                previous = (milestone[0], value)
        for _label, _planned, actual in MILESTONES[1:]:
            if getattr(self, actual) and not self.actual_start:
                errors.setdefault(actual, "尚未填写实际开工日期，不能填写后续实际节点。")
        # Plausibility: the funding sources add up to at most the total investment.
        parts = (self.aid_funds or Decimal(0)) + (self.other_funds or Decimal(0))
        if self.total_investment is not None and parts > self.total_investment:
            errors.setdefault(
                "total_investment",
                f"援疆资金与其他资金之和（{formatting.money(parts)}）超过总投资"
                f"（{formatting.money(self.total_investment)}）。请核对各项金额。",
            )
        for name, message in self.batch_errors().items():
            errors.setdefault(name, message)
        validators.check_township(errors, self)
        if errors:
            raise ValidationError(errors)


class ProjectOutput(DomainModel):
    """Structured output of a project's content and scale: quantity + unit (平方米, 学位, 床位, 条 …)."""

    project = models.ForeignKey(
        AidProject, verbose_name="援疆项目", on_delete=models.CASCADE, related_name="outputs"
    )
    name = models.CharField("产出指标", max_length=60, help_text="如：总建筑面积、学位、床位")
    quantity = models.DecimalField("数量", max_digits=14, decimal_places=2, validators=NON_NEGATIVE_QUANTITY)
    unit = models.CharField("单位", max_length=20)

    scope_path = "project__program"

    class Meta:
        verbose_name = "项目产出"
        verbose_name_plural = "项目产出"
        ordering = ["project", "id"]

    def __str__(self):
        return f"{self.name} {self.quantity.normalize():f}{self.unit}"

    def changelog_parent(self):
        return self.project


class ProgressReport(Reviewable):
    """进度填报: the state of a project on a date, as reported by its clerk (reviewed by the lead)."""

    project = models.ForeignKey(
        AidProject, verbose_name="援疆项目", on_delete=models.CASCADE, related_name="progress_reports"
    )
    report_date = models.DateField("填报日期")
    investment_completed = MoneyField("累计完成投资（元）", default=Decimal("0"), plausible=PLAUSIBLE_PROJECT)
    progress_percent = models.PositiveSmallIntegerField(
        "形象进度（%）",
        validators=[MaxValueValidator(100, "进度不能超过100%%。")],  # %-formatted: %% is %
    )
    image_progress = models.CharField("形象进度描述", max_length=300, blank=True)
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下一步计划", blank=True)

    scope_path = "project__program"
    period_field = "report_date"
    table_columns = (
        "report_date",
        "project",
        "progress_percent",
        "investment_completed",
        "image_progress",
        "problems",
    )
    table_select_related = ("project",)

    class Meta:
        verbose_name = "进度填报"
        verbose_name_plural = "进度填报"
        ordering = ["project", "-report_date"]
        indexes = [models.Index(fields=["project", "-report_date"], name="progressreport_list_order")]

    def __str__(self):
        return f"{self.project} {self.report_date:%Y-%m-%d} 进度{self.progress_percent}%"

    def changelog_parent(self):
        return self.project

    def clean(self):
        errors = {}
        validators.check_past_dates(errors, self, "report_date")
        if errors:
            raise ValidationError(errors)


PHOTO_MAX_BYTES = 10 * 1024 * 1024


def validate_photo_size(file):
    if file.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            f"照片“{file.name}”有{file.size / 1024 / 1024:.1f}MB，超过{PHOTO_MAX_BYTES // 1024 // 1024}MB的上限。"
        )


class ProgressPhoto(DomainModel):
    """现场照片 of a progress report. Stored under MEDIA_ROOT and served only through a scoped view."""

    report = models.ForeignKey(
        ProgressReport, verbose_name="进度填报", on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField("照片", upload_to="progress/%Y/%m/", validators=[validate_photo_size])
    caption = models.CharField("说明", max_length=200, blank=True)

    scope_path = "report__project__program"
    # A photo is part of its report: frozen with it when the report's date lies in a closed period.
    period_field = "report__report_date"

    class Meta:
        verbose_name = "现场照片"
        verbose_name_plural = "现场照片"
        ordering = ["report", "id"]

    def __str__(self):
        return self.caption or f"{self.report} 照片{self.pk or ''}"

    def changelog_parent(self):
        return self.report.project

    def get_absolute_url(self):
        return reverse("projects:progressphoto_file", args=[self.pk])


class FundTransaction(Reviewable):
    """Money of a project: 下达 (commitment), 拨付 (disbursement), 支出 (expenditure). Decimal 元.
    Reviewed by the program's lead before figures count it."""

    project = models.ForeignKey(
        AidProject, verbose_name="援疆项目", on_delete=models.PROTECT, related_name="transactions"
    )
    kind = models.CharField("类型", max_length=14, choices=TransactionKind.choices)
    date = models.DateField("日期")
    amount = MoneyField("金额（元）", positive=True)
    source_document = models.CharField(
        "依据文件", max_length=200, blank=True, help_text="如：资金下达文号、拨付凭证号"
    )
    note = models.CharField("备注", max_length=300, blank=True)

    scope_path = "project__program"
    period_field = "date"
    table_columns = ("date", "project", "kind", "amount", "source_document", "note")
    table_select_related = ("project",)

    class Meta:
        verbose_name = "资金记录"
        verbose_name_plural = "资金记录"
        ordering = ["project", "date", "id"]
        # The list's and records page's order (common.pagination.served_ordering), and covering for
        # the money figures (a kind's sum over a period, project by project): they read the index,
        # not the table (country 拨付 at the national size: 46 → 25 ms of SQLite CPU).
        indexes = [
            models.Index(
                fields=["project", "date", "kind", "review_status", "amount"], name="fundtx_list_order"
            )
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="fundtransaction_amount_positive")
        ]

    def __str__(self):
        return (
            f"{self.project} {self.get_kind_display()} {formatting.money(self.amount)} {self.date:%Y-%m-%d}"
        )

    def changelog_parent(self):
        return self.project

    @classmethod
    def clean_batch(cls, objs) -> list[dict[str, str]]:
        """Plausibility: a project's disbursements (拨付) add up to at most its aid funds. Refused, not
        flagged: a larger amount is a typing error, or the project's aid funds were raised, which is
        recorded on the project first. One query for all the projects; the records given count with
        their new amounts, each against the stored ones and the records before it."""
        errors = [{} for _ in objs]
        wanted = [
            o
            for o in objs
            if o.kind == TransactionKind.DISBURSEMENT
            and o.project_id
            and o.amount is not None
            and o.amount > 0
        ]
        if not wanted:
            return errors
        totals = defaultdict(Decimal)
        for project_id, total in (
            FundTransaction.objects.filter(
                project__in={o.project_id for o in wanted}, kind=TransactionKind.DISBURSEMENT
            )
            .exclude(pk__in=[o.pk for o in objs if o.pk])
            .values_list("project")
            .annotate(total=models.Sum("amount"))
            .values_list("project", "total")
        ):
            totals[project_id] = total
        wanted_ids = {id(o) for o in wanted}
        for found, obj in zip(errors, objs, strict=True):
            if id(obj) not in wanted_ids:
                continue
            before = totals[obj.project_id]
            totals[obj.project_id] += obj.amount
            aid_funds = obj.project.aid_funds
            if totals[obj.project_id] > aid_funds:
                found["amount"] = (
                    f"本项目援疆资金为{formatting.money(aid_funds)}，已拨付{formatting.money(before)}，"
                    f"再拨付{formatting.money(obj.amount)}将超过援疆资金。请核对金额；"
                    "如援疆资金已调增，请先修改项目的援疆资金。"
                )
        return errors

    def clean(self):
        errors = {}
        validators.check_past_dates(errors, self, "date")
        for name, message in self.batch_errors().items():
            errors.setdefault(name, message)
        if errors:
            raise ValidationError(errors)
