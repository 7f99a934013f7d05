"""产业援疆. Enterprises and institutions are shared reference records (one 中国天楹 for every program);
what a program did with them (events, contacts, investment projects) is scoped to the program."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from yuanjiang.common import validators
from yuanjiang.common.fields import PLAUSIBLE_PROJECT, MoneyField
from yuanjiang.investment import stage as project_stage
from yuanjiang.investment.choices import ContactKind, EventKind, InstitutionKind, Stage
from yuanjiang.investment.validators import validate_credit_code
from yuanjiang.kernel.models import DomainModel, DomainQuerySet
from yuanjiang.review.models import Reviewable


def _owner_field():
    """The program that registered a shared record: it (its lead and clerks) edits the record; other
    programs link to it and read it. Empty: reference data kept by a supervisor or an admin."""
    return models.ForeignKey(
        "org.Program",
        verbose_name="登记的援疆项目组",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="登记该记录的工作组：其他工作组可以引用、查看，不能修改。留空为参考数据，由前方指挥部或管理员维护。",
    )


class Enterprise(DomainModel):
    """企业: a shared reference record, not scoped to a program."""

    shared = True
    owner = _owner_field()

    name = models.CharField("企业名称", max_length=200)
    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text="18位，含校验位；不知道可不填",
    )
    industry = models.CharField("所属行业", max_length=100, blank=True)
    origin = models.CharField("来源地（省市）", max_length=100, blank=True, help_text="如：江苏南通")
    is_leading = models.BooleanField("龙头企业", default=False)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)

    table_columns = ("name", "credit_code", "industry", "origin", "is_leading")

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "credit_code",
                name="enterprise_unique_credit_code",
                condition=~models.Q(credit_code=""),
                violation_error_message="已有企业使用该统一社会信用代码。",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("investment:enterprise_detail", args=[self.pk])

    def clean(self):
        # Before the uniqueness check: one code is one enterprise, however it was typed.
        self.credit_code = (self.credit_code or "").strip().upper()

    def save(self, *args, **kwargs):
        self.credit_code = (self.credit_code or "").strip().upper()
        super().save(*args, **kwargs)


class Institution(DomainModel):
    """高校、科研院所、医院、行业协会……: a shared reference record, not scoped to a program."""

    shared = True
    owner = _owner_field()

    name = models.CharField(
        "机构名称", max_length=200, unique=True, error_messages={"unique": "已有同名机构。"}
    )
    kind = models.CharField("机构类型", max_length=20, choices=InstitutionKind.choices)
    location = models.CharField("所在地", max_length=100, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)

    table_columns = ("name", "kind", "location")

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构（高校、科研院所、医院等）"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("investment:institution_detail", args=[self.pk])


JOBS_MAX = 1_000_000
JOBS_VALIDATORS = [
    MinValueValidator(0, "就业人数不能为负数。"),
    MaxValueValidator(JOBS_MAX, "就业人数不能超过100万人，请核对。"),
]


def _check_order(errors: dict, steps: list[tuple[str, str, dt.date | None]]):
    """Each (field, label, date) comes on or after the previous ones that are filled in."""
    previous = None
    for field, label, value in steps:
        if value is None:
            continue
        if previous and value < previous[2]:
            errors.setdefault(
                field, f"{label}（{value:%Y-%m-%d}）不能早于{previous[1]}（{previous[2]:%Y-%m-%d}）。"
            )
        previous = (field, label, value)


class IndustryCluster(DomainModel):
    """产业集群: a reference list kept as data (investment/data/industry_clusters.csv), e.g. 伊犁州 "8+1+1"."""

    shared = True

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("产业集群", max_length=100)
    group = models.CharField("类别", max_length=40, blank=True, help_text="如：八大产业集群、+1")
    sequence = models.PositiveSmallIntegerField("排序", default=0)
    note = models.CharField("备注", max_length=300, blank=True)

    class Meta:
        verbose_name = "产业集群"
        verbose_name_plural = "产业集群"
        ordering = ["sequence", "code"]

    def __str__(self):
        return self.name


class Park(DomainModel):
    """园区 (e.g. 伊宁县青创园): a shared reference record of a county. Its tenants are investment
    projects; its upgrade works are aid projects (ParkUpgrade)."""

    shared = True
    owner = _owner_field()

    name = models.CharField(
        "园区名称", max_length=150, unique=True, error_messages={"unique": "已有同名园区。"}
    )
    county = models.ForeignKey(
        "org.Region",
        verbose_name="所在县（市）",
        on_delete=models.PROTECT,
        related_name="parks",
        limit_choices_to={"level": "county"},
    )
    focus_industries = models.CharField("主导产业方向", max_length=300, blank=True)
    area = models.DecimalField(
        "占地面积（亩）",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"), "面积不能为负数。")],
    )
    address = models.CharField("地址", max_length=200, blank=True)
    manager = models.CharField("管理机构", max_length=150, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)

    table_columns = ("name", "county", "focus_industries", "area", "manager")
    table_select_related = ("county",)

    class Meta:
        verbose_name = "园区"
        verbose_name_plural = "园区"
        ordering = ["county", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(area__isnull=True) | models.Q(area__gte=0), name="park_area_non_negative"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("investment:park_detail", args=[self.pk])

    def clean(self):
        if self.county_id and self.county.level != "county":
            raise ValidationError({"county": "园区所在地须为县级行政区。"})


class ParkUpgrade(DomainModel):
    """An aid project that upgraded a park (the link is the program's record, scoped by the project)."""

    park = models.ForeignKey(Park, verbose_name="园区", on_delete=models.PROTECT, related_name="upgrades")
    aid_project = models.ForeignKey(
        "projects.AidProject", verbose_name="援疆项目", on_delete=models.PROTECT, related_name="park_upgrades"
    )
    note = models.CharField("说明", max_length=300, blank=True)

    scope_path = "aid_project__program"
    table_columns = ("park", "aid_project", "note")
    table_select_related = ("park", "aid_project")

    class Meta:
        verbose_name = "园区改造提升项目"
        verbose_name_plural = "园区改造提升项目"
        ordering = ["park", "aid_project"]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "aid_project"],
                name="parkupgrade_unique",
                violation_error_message="该援疆项目已关联到这个园区。",
            )
        ]

    def __str__(self):
        return f"{self.park}：{self.aid_project}"

    def changelog_parent(self):
        return self.park

    def clean(self):
        if self.park_id and self.aid_project_id:
            twins = ParkUpgrade.objects.filter(park_id=self.park_id, aid_project_id=self.aid_project_id)
            if twins.exclude(pk=self.pk).exists():
                raise ValidationError({"aid_project": "该援疆项目已关联到这个园区。"})
            county = self.aid_project.program.recipient_region
            if self.park.county_id != county.pk:
                raise ValidationError(
                    {
                        "aid_project": f"该援疆项目在{county}，园区“{self.park}”在{self.park.county}，不能关联。"
                    }
                )


class PromotionEvent(Reviewable):
    """招商活动. It belongs to the program that records it (the unit of scope); a joint event held by a
    front command names that command as organizer, and each program records its own part."""

    program = models.ForeignKey(
        "org.Program", verbose_name="援疆项目组", on_delete=models.PROTECT, related_name="promotion_events"
    )
    title = models.CharField("活动名称", max_length=200)
    kind = models.CharField("活动类型", max_length=20, choices=EventKind.choices)
    date = models.DateField("日期")
    place = models.CharField("地点", max_length=150, blank=True)
    organizer = models.ForeignKey(
        "org.Organization",
        verbose_name="主办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organized_events",
        help_text="联合活动填主办的前方指挥部等上级单位；工作组自办的可不填",
    )
    note = models.TextField("备注", blank=True)

    scope_path = "program"
    period_field = "date"
    table_columns = ("date", "title", "kind", "place", "organizer", "program")
    table_select_related = ("program", "organizer")

    class Meta:
        verbose_name = "招商活动"
        verbose_name_plural = "招商活动"
        ordering = ["program", "-date", "id"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}" if self.date else self.title

    def get_absolute_url(self):
        return reverse("investment:promotionevent_detail", args=[self.pk])

    @property
    def organizer_label(self) -> str:
        return str(self.organizer) if self.organizer_id else "本工作组"

    def clean(self):
        errors = {}
        validators.check_past_dates(errors, self, "date")
        if self.organizer_id and self.program_id:
            provider = self.program.provider
            if not provider.path.startswith(self.organizer.path):
                errors["organizer"] = f"主办单位须为{provider}或其上级单位（如前方指挥部）。"
        if errors:
            raise ValidationError(errors)


class Contact(Reviewable):
    """对接 / 拜访 / 洽谈: one meeting of a program with an enterprise or an institution, possibly at
    a promotion event. The enterprises and institutions met at an event are its contacts."""

    program = models.ForeignKey(
        "org.Program", verbose_name="援疆项目组", on_delete=models.PROTECT, related_name="investment_contacts"
    )
    date = models.DateField("日期")
    kind = models.CharField("方式", max_length=20, choices=ContactKind.choices, default=ContactKind.DOCKING)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name="机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    event = models.ForeignKey(
        PromotionEvent,
        verbose_name="所属招商活动",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    people = models.CharField("参加人员", max_length=200, blank=True)
    outcome = models.TextField("成果", blank=True)

    scope_path = "program"
    period_field = "date"
    table_columns = ("date", "kind", "enterprise", "institution", "event", "program", "outcome")
    table_select_related = ("program", "enterprise", "institution", "event")

    class Meta:
        verbose_name = "对接记录"
        verbose_name_plural = "对接记录"
        ordering = ["program", "-date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(enterprise__isnull=True, institution__isnull=False)
                | models.Q(enterprise__isnull=False, institution__isnull=True),
                name="contact_enterprise_xor_institution",
            )
        ]

    def __str__(self):
        who = self.enterprise or self.institution or "—"
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {who}" if self.date else str(who)

    def get_absolute_url(self):
        return reverse("investment:contact_detail", args=[self.pk])

    def changelog_parent(self):
        return self.event

    def clean(self):
        errors = {}
        validators.check_past_dates(errors, self, "date")
        if bool(self.enterprise_id) == bool(self.institution_id):
            message = "请选择对接的企业或机构（二选一）。"
            errors["enterprise" if not self.institution_id else "institution"] = message
        if self.event_id and self.program_id and self.event.program_id != self.program_id:
            errors["event"] = "所选招商活动不属于本援疆项目组。"
        if errors:
            raise ValidationError(errors)


class InvestmentProjectQuerySet(DomainQuerySet):
    def with_stage(self, on: dt.date | None = None):
        return self.annotate(stage_code=project_stage.stage_expression(on or timezone.localdate()))

    def in_stage(self, stage: str, on: dt.date | None = None):
        return self.filter(project_stage.stage_q(stage, on or timezone.localdate()))


STAGE_LABELS = {
    "negotiation_date": "洽谈日期",
    "signed_date": "签约日期",
    "landed_date": "落户日期",
    "started_date": "开工日期",
    "operating_date": "投产日期",
}


class InvestmentProject(Reviewable):
    """招商引资项目: an enterprise's investment brought in by a program, through the pipeline
    洽谈 → 签约 → 落户 → 开工 → 投产 (a date per stage; the stage is derived from them)."""

    program = models.ForeignKey(
        "org.Program", verbose_name="援疆项目组", on_delete=models.PROTECT, related_name="investment_projects"
    )
    name = models.CharField("项目名称", max_length=200)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="投资企业", on_delete=models.PROTECT, related_name="investment_projects"
    )
    cluster = models.ForeignKey(
        IndustryCluster,
        verbose_name="产业集群",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="investment_projects",
    )
    park = models.ForeignKey(
        Park, verbose_name="入驻园区", null=True, blank=True, on_delete=models.PROTECT, related_name="tenants"
    )
    township = models.ForeignKey(
        "org.Region",
        verbose_name="所在乡镇",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_event = models.ForeignKey(
        PromotionEvent,
        verbose_name="签约活动",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signed_projects",
    )
    negotiation_date = models.DateField(STAGE_LABELS["negotiation_date"], null=True, blank=True)
    signed_date = models.DateField(STAGE_LABELS["signed_date"], null=True, blank=True)
    landed_date = models.DateField(
        STAGE_LABELS["landed_date"], null=True, blank=True, help_text="企业注册或入驻受援地的日期"
    )
    started_date = models.DateField(STAGE_LABELS["started_date"], null=True, blank=True)
    operating_date = models.DateField(STAGE_LABELS["operating_date"], null=True, blank=True)
    planned_investment = MoneyField("计划总投资（元）", default=Decimal("0"), plausible=PLAUSIBLE_PROJECT)
    actual_investment = MoneyField("实际完成投资（元）", default=Decimal("0"), plausible=PLAUSIBLE_PROJECT)
    expected_jobs = models.PositiveIntegerField(
        "预计带动就业（人）", null=True, blank=True, validators=JOBS_VALIDATORS
    )
    actual_jobs = models.PositiveIntegerField(
        "实际带动就业（人）", null=True, blank=True, validators=JOBS_VALIDATORS
    )
    annual_output = MoneyField("年产值（元）", null=True, blank=True, help_text="达产后预计年产值")
    content = models.TextField("建设内容", blank=True)
    note = models.CharField("备注", max_length=300, blank=True)

    objects = InvestmentProjectQuerySet.as_manager()
    scope_path = "program"
    # The signed-projects figures are a flow by signing date; every stage date is an activity date.
    period_field = "signed_date"
    table_columns = (
        "name",
        "enterprise",
        "program",
        "park",
        "stage",
        "signed_date",
        "landed_date",
        "planned_investment",
        "expected_jobs",
        "actual_jobs",
    )
    table_select_related = ("program", "enterprise", "park")

    class Meta:
        verbose_name = "招商引资项目"
        verbose_name_plural = "招商引资项目"
        ordering = ["program", "-signed_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_investment__gte=0) & models.Q(actual_investment__gte=0),
                name="investmentproject_investment_non_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(annual_output__isnull=True) | models.Q(annual_output__gte=0),
                name="investmentproject_output_non_negative",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("investment:investmentproject_detail", args=[self.pk])

    def stage_on(self, on: dt.date | None = None) -> Stage:
        return project_stage.stage_of(self, on or timezone.localdate())

    @property
    def stage(self) -> Stage:
        return self.stage_on()

    stage.fget.short_description = "阶段"

    def stage_dates(self):
        return [(s.label, getattr(self, f)) for s, f in project_stage.STAGES]

    def clean(self):
        errors = {}
        validators.check_past_dates(errors, self, *(field for _stage, field in project_stage.STAGES))
        _check_order(errors, [(f, STAGE_LABELS[f], getattr(self, f)) for _s, f in project_stage.STAGES])
        if self.operating_date and not self.started_date:
            errors.setdefault("operating_date", "尚未填写开工日期，不能填写投产日期。")
        if self.program_id:
            program = self.program
            if self.park_id and self.park.county_id != program.recipient_region_id:
                errors["park"] = (
                    f"园区“{self.park}”位于{self.park.county}，不在本项目组的受援地{program.recipient_region}。"
                )
            if self.signed_event_id and self.signed_event.program_id != program.pk:
                errors["signed_event"] = "所选签约活动不属于本援疆项目组。"
        validators.check_township(errors, self)
        if self.signed_event_id and not self.signed_date:
            errors.setdefault("signed_date", "已选择签约活动，请填写签约日期。")
        if errors:
            raise ValidationError(errors)


class InvestmentPhase(DomainModel):
    """A phase (一期、二期 …) of an investment project, with its own planned investment and dates."""

    project = models.ForeignKey(
        InvestmentProject, verbose_name="招商引资项目", on_delete=models.CASCADE, related_name="phases"
    )
    sequence = models.PositiveSmallIntegerField(
        "期次", validators=[MinValueValidator(1, "期次从1开始。"), MaxValueValidator(20, "期次不超过20。")]
    )
    name = models.CharField("名称", max_length=60, help_text="如：一期、二期")
    planned_investment = MoneyField("计划投资（元）", default=Decimal("0"), plausible=PLAUSIBLE_PROJECT)
    content = models.TextField("建设内容及规模", blank=True)
    annual_output = MoneyField("年产值（元）", null=True, blank=True)
    planned_start = models.DateField("计划开工日期", null=True, blank=True)
    started_date = models.DateField("实际开工日期", null=True, blank=True)
    planned_operation = models.DateField("计划投产日期", null=True, blank=True)
    operating_date = models.DateField("实际投产日期", null=True, blank=True)

    scope_path = "project__program"
    period_field = "started_date"

    class Meta:
        verbose_name = "项目分期"
        verbose_name_plural = "项目分期"
        ordering = ["project", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "sequence"],
                name="investmentphase_unique_sequence",
                violation_error_message="该项目已有这一期次。",
            ),
            models.CheckConstraint(
                condition=models.Q(planned_investment__gte=0), name="investmentphase_investment_non_negative"
            ),
        ]

    def __str__(self):
        return f"{self.project} {self.name}"

    def changelog_parent(self):
        return self.project

    @property
    def stage_label(self) -> str:
        today = timezone.localdate()
        if self.operating_date and self.operating_date <= today:
            return "已投产"
        if self.started_date and self.started_date <= today:
            return "建设中"
        return "未开工"

    def clean(self):
        errors = {}
        if self.project_id and self.sequence is not None:
            twins = InvestmentPhase.objects.filter(project_id=self.project_id, sequence=self.sequence)
            if twins.exclude(pk=self.pk).exists():
                errors["sequence"] = f"该项目已有第{self.sequence}期。"
        validators.check_past_dates(errors, self, "started_date", "operating_date")
        validators.check_not_before_start(errors, self, "planned_start", "planned_operation")
        _check_order(
            errors,
            [
                ("planned_start", "计划开工日期", self.planned_start),
                ("planned_operation", "计划投产日期", self.planned_operation),
            ],
        )
        _check_order(
            errors,
            [
                ("started_date", "实际开工日期", self.started_date),
                ("operating_date", "实际投产日期", self.operating_date),
            ],
        )
        if self.operating_date and not self.started_date:
            errors.setdefault("operating_date", "尚未填写实际开工日期，不能填写实际投产日期。")
        if errors:
            raise ValidationError(errors)
