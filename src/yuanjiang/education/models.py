"""教育援疆: schools and their classes (the 南通班 pilot and its control classes), class-level exam
summaries, and the 通伊 education fund.

A school is recorded under the program that supports it (scope_path "program"): what the ledger
keeps about it — the aid projects that built or equipped it, the pilot and control classes the
program's teachers teach — is that program's work, and the program is the unit of permission.
Exam results are class aggregates only (n, mean, standard deviation, rates): no pupil's name or
score is stored.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from yuanjiang.common import formatting, validators
from yuanjiang.common.fields import MoneyField
from yuanjiang.education.choices import (
    DonorKind,
    Grade,
    GrantKind,
    RecipientKind,
    SchoolStage,
    Subject,
    Track,
)
from yuanjiang.kernel.models import DomainModel
from yuanjiang.review.models import Reviewable


class School(DomainModel):
    """学校 supported by a program: its township in the program's county, the aid projects that built
    or equipped it, and its classes."""

    program = models.ForeignKey(
        "org.Program", verbose_name="援疆项目组", on_delete=models.PROTECT, related_name="schools"
    )
    name = models.CharField("学校名称", max_length=100)
    township = models.ForeignKey(
        "org.Region", verbose_name="所在乡镇", on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField("学段", max_length=20, choices=SchoolStage.choices)
    aid_projects = models.ManyToManyField(
        "projects.AidProject",
        verbose_name="援建/援助项目",
        blank=True,
        related_name="schools",
        help_text="建设或配置该校的援疆项目",
    )
    note = models.CharField("备注", max_length=300, blank=True)

    scope_path = "program"
    table_columns = ("name", "program", "township", "stage")
    table_select_related = ("program", "township")

    class Meta:
        verbose_name = "学校"
        verbose_name_plural = "学校"
        ordering = ["program", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "name"],
                name="school_unique_name_per_program",
                violation_error_message="本援疆项目组已登记同名学校。",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("education:school_detail", args=[self.pk])

    def clean(self):
        errors = {}
        validators.check_township(errors, self)
        if errors:
            raise ValidationError(errors)


class TeachingClass(DomainModel):
    """班级: a class of a school, on a track (南通班 pilot / 对照班 control / regular / "1+3")."""

    school = models.ForeignKey(School, verbose_name="学校", on_delete=models.PROTECT, related_name="classes")
    name = models.CharField("班级名称", max_length=50, help_text="如：高三（1）班")
    cohort = models.PositiveSmallIntegerField(
        "年级届别（入学年份）",
        validators=[
            MinValueValidator(validators.AID_START.year, f"入学年份不早于{validators.AID_START.year}年。"),
            MaxValueValidator(2100, "入学年份不晚于2100年。"),
        ],
        help_text="如：2021级填2021；同一届的南通班与对照班相互比较",
    )
    grade = models.CharField("年级", max_length=4, choices=Grade.choices, help_text="填报时所在年级")
    track = models.CharField("班级类型", max_length=20, choices=Track.choices)
    aid_teachers = models.CharField(
        "援疆任课教师",
        max_length=300,
        blank=True,
        help_text="姓名及学科，以顿号分隔，如：曹荣彬（语文）",
    )
    established_on = models.DateField("开班日期")
    note = models.CharField("备注", max_length=300, blank=True)

    scope_path = "school__program"
    period_field = "established_on"
    table_columns = ("__str__", "school", "cohort", "grade", "track", "aid_teachers")
    table_select_related = ("school",)

    class Meta:
        verbose_name = "班级"
        verbose_name_plural = "班级"
        ordering = ["school", "-cohort", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "cohort", "name"],
                name="teachingclass_unique_name",
                violation_error_message="该校同一届已有同名班级。",
            )
        ]

    def __str__(self):
        return f"{self.name} · {self.get_track_display()}"

    def get_absolute_url(self):
        return reverse("education:teachingclass_detail", args=[self.pk])

    def changelog_parent(self):
        return self.school

    def clean(self):
        errors = {}
        validators.check_past_dates(errors, self, "established_on")
        if self.cohort and self.established_on and self.established_on.year < self.cohort - 1:
            errors.setdefault("established_on", "开班日期早于该届入学年份。")
        if errors:
            raise ValidationError(errors)


RATE = [
    MinValueValidator(Decimal("0"), "比率不能小于0%%。"),
    MaxValueValidator(Decimal("100"), "比率不能超过100%%。"),
]


class ExamResult(DomainModel):
    """A class's summary in one subject of one exam: n, mean, standard deviation and rates. Class
    aggregates only; no pupil data (minors' data is not stored)."""

    teaching_class = models.ForeignKey(
        TeachingClass, verbose_name="班级", on_delete=models.PROTECT, related_name="exam_results"
    )
    exam_name = models.CharField("考试名称", max_length=60, help_text="如：2023—2024学年第一学期期末考试")
    exam_date = models.DateField("考试日期")
    subject = models.CharField("科目", max_length=12, choices=Subject.choices)
    full_score = models.DecimalField(
        "满分",
        max_digits=6,
        decimal_places=1,
        default=Decimal("150"),
        validators=[
            MinValueValidator(Decimal("1"), "满分须大于0。"),
            MaxValueValidator(Decimal("1000"), "满分不超过1000分。"),
        ],
    )
    n = models.PositiveSmallIntegerField(
        "参考人数",
        validators=[
            MinValueValidator(2, "参考人数至少为2人：少于2人无法计算标准差，也会暴露个人成绩。"),
            MaxValueValidator(200, "一个班级的参考人数不超过200人。"),
        ],
    )
    mean = models.DecimalField(
        "平均分",
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"), "平均分不能为负数。")],
    )
    sd = models.DecimalField(
        "标准差",
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"), "标准差不能为负数。")],
    )
    pass_rate = models.DecimalField(
        "及格率（%）", max_digits=5, decimal_places=2, null=True, blank=True, validators=RATE
    )
    excellent_rate = models.DecimalField(
        "优秀率（%）", max_digits=5, decimal_places=2, null=True, blank=True, validators=RATE
    )
    note = models.CharField("备注", max_length=300, blank=True)

    scope_path = "teaching_class__school__program"
    period_field = "exam_date"
    table_columns = (
        "exam_date",
        "exam_name",
        "school",
        "teaching_class",
        "subject",
        "n",
        "mean",
        "sd",
        "pass_rate",
        "excellent_rate",
    )
    table_select_related = ("teaching_class__school",)

    class Meta:
        verbose_name = "考试成绩（班级汇总）"
        verbose_name_plural = "考试成绩（班级汇总）"
        ordering = ["teaching_class", "exam_date", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["teaching_class", "exam_name", "exam_date", "subject"],
                name="examresult_unique",
                violation_error_message="该班级的这次考试已填报过该科目。",
            ),
            models.CheckConstraint(condition=models.Q(n__gte=2), name="examresult_n_at_least_2"),
            models.CheckConstraint(condition=models.Q(sd__gte=0), name="examresult_sd_non_negative"),
            models.CheckConstraint(condition=models.Q(mean__gte=0), name="examresult_mean_non_negative"),
            models.CheckConstraint(
                condition=models.Q(pass_rate__gte=0, pass_rate__lte=100) | models.Q(pass_rate__isnull=True),
                name="examresult_pass_rate_0_100",
            ),
            models.CheckConstraint(
                condition=models.Q(excellent_rate__gte=0, excellent_rate__lte=100)
                | models.Q(excellent_rate__isnull=True),
                name="examresult_excellent_rate_0_100",
            ),
        ]

    def __str__(self):
        return f"{self.exam_name} {self.get_subject_display()}"

    def changelog_parent(self):
        return self.teaching_class

    def school(self):
        return self.teaching_class.school

    school.short_description = "学校"

    def clean(self):
        errors = {}
        validators.check_past_dates(errors, self, "exam_date")
        if self.mean is not None and self.full_score is not None and self.mean > self.full_score:
            errors.setdefault("mean", f"平均分不能高于满分（{self.full_score.normalize():f}分）。")
        if self.sd is not None and self.full_score is not None and self.sd > self.full_score:
            errors.setdefault("sd", "标准差不能大于满分。")
        if (
            self.pass_rate is not None
            and self.excellent_rate is not None
            and self.excellent_rate > self.pass_rate
        ):
            errors.setdefault("excellent_rate", "优秀率不能高于及格率。")
        if errors:
            raise ValidationError(errors)


class Fund(DomainModel):
    """教育基金 of a program (通伊教育基金): one fund, several donors; money in, grants out."""

    program = models.ForeignKey(
        "org.Program", verbose_name="援疆项目组", on_delete=models.PROTECT, related_name="education_funds"
    )
    name = models.CharField("基金名称", max_length=100)
    founded_on = models.DateField("成立日期")
    manager = models.CharField("管理单位", max_length=150, blank=True)
    purpose = models.TextField("宗旨与用途", blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    # The handover (org.handover): a fund whose balance continues in the next batch is copied there,
    # linked to its origin, with an opening 结转 donation equal to the origin's unspent balance; both
    # carry the handover date, and the fund figures count that money once (education.metrics).
    carried_from = models.ForeignKey(
        "self",
        verbose_name="接续自（上一批次基金）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_to",
        editable=False,  # set by the handover only (org.handover)
    )
    handed_over_on = models.DateField("移交日期", null=True, blank=True, editable=False)

    scope_path = "program"
    table_columns = ("name", "program", "founded_on", "manager")
    table_select_related = ("program",)

    class Meta:
        verbose_name = "教育基金"
        verbose_name_plural = "教育基金"
        ordering = ["program", "founded_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "name"],
                name="fund_unique_name_per_program",
                violation_error_message="本援疆项目组已有同名基金。",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("education:fund_detail", args=[self.pk])

    def clean(self):
        errors = {}
        validators.check_past_dates(errors, self, "founded_on")
        if self.pk and self.founded_on:
            first = (
                FundDonation.objects.filter(fund=self, date__lt=self.founded_on).order_by("date").first()
                or FundGrant.objects.filter(fund=self, date__lt=self.founded_on).order_by("date").first()
            )
            if first is not None:
                errors.setdefault(
                    "founded_on", f"已有早于该日期的收支记录（{formatting.date(first.date)}）。"
                )
        if errors:
            raise ValidationError(errors)


class FundEntry(Reviewable):
    """What a donation and a grant share: a dated amount of a fund whose balance may never go negative."""

    fund = models.ForeignKey(Fund, verbose_name="教育基金", on_delete=models.PROTECT)
    date = models.DateField("日期")
    amount = MoneyField("金额（元）", positive=True)
    note = models.CharField("备注", max_length=300, blank=True)

    scope_path = "fund__program"
    period_field = "date"

    class Meta:
        abstract = True

    def changelog_parent(self):
        return self.fund

    def clean(self):
        errors = {}
        validators.check_past_dates(errors, self, "date")
        if self.fund_id and self.date and self.date < self.fund.founded_on:
            errors.setdefault(
                "date", f"日期不能早于基金成立日期（{formatting.date(self.fund.founded_on)}）。"
            )
        # The balance rule (never negative) and the handover rule (an origin fund takes nothing after
        # its handover) are a kernel hook: education.services.refuse_overdraft.
        if errors:
            raise ValidationError(errors)


class FundDonation(FundEntry):
    """捐赠: money into the fund."""

    fund = models.ForeignKey(
        Fund, verbose_name="教育基金", on_delete=models.PROTECT, related_name="donations"
    )
    donor = models.CharField("捐赠方", max_length=150)
    donor_kind = models.CharField("捐赠方类型", max_length=20, choices=DonorKind.choices)
    date = models.DateField("捐赠日期")
    source_document = models.CharField("凭证或协议", max_length=200, blank=True)
    is_founding = models.BooleanField(
        "启动资金",
        default=False,
        help_text="基金成立时的启动捐赠。成绩单“捐赠启动资金”只计这些，以后的捐赠另计。",
    )
    # The opening 结转 of a fund carried over at a handover (org.handover): the origin's unspent
    # balance, not new money (education.metrics counts it once).
    is_carry_over = models.BooleanField("上一批次结转", default=False, editable=False)

    table_columns = ("date", "fund", "donor", "donor_kind", "amount", "is_founding", "source_document")
    table_select_related = ("fund",)

    class Meta:
        verbose_name = "基金捐赠"
        verbose_name_plural = "基金捐赠"
        ordering = ["fund", "date", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="funddonation_amount_positive")
        ]

    def __str__(self):
        return f"{self.donor}捐赠 {formatting.money(self.amount)}"


class FundGrant(FundEntry):
    """奖学 / 奖教 / 助学: money out of the fund to a number of recipients (no names are kept)."""

    fund = models.ForeignKey(Fund, verbose_name="教育基金", on_delete=models.PROTECT, related_name="grants")
    kind = models.CharField("资助类型", max_length=20, choices=GrantKind.choices)
    recipient_kind = models.CharField("受助对象", max_length=10, choices=RecipientKind.choices)
    recipients = models.PositiveIntegerField(
        "受助人数",
        validators=[
            MinValueValidator(1, "受助人数至少为1。"),
            MaxValueValidator(100000, "受助人数超过10万，请核对。"),
        ],
    )
    date = models.DateField("发放日期")

    table_columns = ("date", "fund", "kind", "recipient_kind", "recipients", "amount", "note")
    table_select_related = ("fund",)

    class Meta:
        verbose_name = "基金资助"
        verbose_name_plural = "基金资助"
        ordering = ["fund", "date", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="fundgrant_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(recipients__gte=1), name="fundgrant_recipients_positive"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.recipients}人 {formatting.money(self.amount)}"
