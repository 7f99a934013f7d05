"""智力援疆: the aid workers themselves, the talent brought in, the agreements signed and the training paid for.

Aid workers are people: only what the roster needs is kept (name, kind, units, post, term, role in the
work group) — no identity-card number, birth date, phone or address — and, like every scoped record,
they are visible only inside their program's scope.

Counts (人数, 人次) are IntegerFields with MinValueValidator(1) and a DB check: a PositiveIntegerField
would answer 0 or -3 with the form's generic "≥ 0" message instead of "至少为1".
"""

import uuid
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from yuanjiang.common import formatting, validators
from yuanjiang.common.fields import MoneyField
from yuanjiang.kernel.models import DomainModel, DomainQuerySet
from yuanjiang.review.models import Reviewable
from yuanjiang.talent.choices import (
    AgreementKind,
    Audience,
    GroupRole,
    Sector,
    TermKind,
    TrainingMode,
    WorkerKind,
)
from yuanjiang.talent.validators import validate_pdf, validate_plausible_date

DATE_CHECKS = [validate_plausible_date]
# Upper bounds that catch a mistyped count (on SQLite an integer column takes 64 bits without complaint).
MAX_PEOPLE = 100_000
MAX_PERSON_TIMES = 1_000_000


def _end_before_start(errors: dict, start, end, end_field: str, what: str):
    if start and end and end < start:
        errors.setdefault(
            end_field,
            f"{what}结束日期（{formatting.date(end)}）不能早于开始日期（{formatting.date(start)}）。",
        )


class TalentField(DomainModel):
    """引进人才的领域 (经济招商, 农林科技 …): shared reference data, flagged 紧缺领域 or not.

    A model rather than choices: the recipient county's shortage catalogue (紧缺人才目录) changes
    from year to year and is edited by an administrator, not by a release. Loaded idempotently from
    talent/data/talent-fields.csv (talent.services.reference_load).
    """

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("领域", max_length=40, unique=True, error_messages={"unique": "已有同名领域。"})
    is_shortage = models.BooleanField("紧缺领域", default=False)
    order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = "人才领域"
        verbose_name_plural = "人才领域"
        ordering = ["order", "name"]

    def __str__(self):
        return f"{self.name}（紧缺）" if self.is_shortage else self.name


class AidWorkerQuerySet(DomainQuerySet):
    def in_post_on(self, day):
        """Workers whose term has begun by `day` and not ended before it (no end date: still in post)."""
        return self.filter(Q(term_end__isnull=True) | Q(term_end__gte=day), term_start__lte=day)


class AidWorker(DomainModel):
    """援疆干部人才: one member of a program's batch, sent from a unit of the provider to a post in the
    recipient county."""

    program = models.ForeignKey(
        "org.Program", verbose_name="援疆项目组（批次）", on_delete=models.PROTECT, related_name="aid_workers"
    )
    name = models.CharField("姓名", max_length=50)
    kind = models.CharField("类别", max_length=20, choices=WorkerKind.choices)
    sector = models.CharField("领域", max_length=20, choices=Sector.choices, default=Sector.GENERAL)
    group_role = models.CharField(
        "工作组职务", max_length=20, choices=GroupRole.choices, default=GroupRole.MEMBER
    )
    home_unit = models.CharField("派出单位", max_length=150, help_text="如：南通市第一人民医院")
    host_unit = models.CharField("受援单位", max_length=150, help_text="如：伊宁县人民医院")
    post = models.CharField("挂职/任职岗位", max_length=150, blank=True, help_text="如：心血管内科副主任")
    term_kind = models.CharField("援疆期限", max_length=20, choices=TermKind.choices, default=TermKind.LONG)
    term_start = models.DateField("到岗日期", validators=DATE_CHECKS)
    term_end = models.DateField(
        "离岗日期",
        null=True,
        blank=True,
        validators=DATE_CHECKS,
        help_text="期满或提前离岗的日期；尚在岗可不填",
    )
    note = models.CharField("备注", max_length=300, blank=True)

    objects = AidWorkerQuerySet.as_manager()
    scope_path = "program"
    # No `period_field`: a roster entry is a state, not an activity of a period. Locking it by its
    # arrival date would forbid recording the departure of a worker who arrived in a closed period.
    table_columns = (
        "name",
        "kind",
        "group_role",
        "home_unit",
        "host_unit",
        "post",
        "term_start",
        "term_end",
        "program",
    )
    table_select_related = ("program",)

    class Meta:
        verbose_name = "援疆干部人才"
        verbose_name_plural = "援疆干部人才"
        ordering = ["program", "kind", "term_start", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="aidworker_term_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.name}（{self.get_kind_display()}）"

    def get_absolute_url(self):
        return reverse("talent:aidworker_detail", args=[self.pk])

    def clean(self):
        errors = {}
        _end_before_start(errors, self.term_start, self.term_end, "term_end", "援疆任期")
        if errors:
            raise ValidationError(errors)


class TalentVisit(Reviewable):
    """引进人才、候鸟式专家进疆开展工作: who came, in which field, for how long; counted in 人次."""

    program = models.ForeignKey(
        "org.Program", verbose_name="援疆项目组", on_delete=models.PROTECT, related_name="talent_visits"
    )
    field = models.ForeignKey(
        TalentField, verbose_name="领域", on_delete=models.PROTECT, related_name="visits"
    )
    institution = models.ForeignKey(
        "investment.Institution",
        verbose_name="来源机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="talent_visits",
    )
    experts = models.CharField("人员或团队", max_length=200, help_text="如：顾春笋团队、南通市招商专家组")
    host_unit = models.CharField("接收单位", max_length=150, blank=True)
    start = models.DateField("进疆日期", validators=DATE_CHECKS)
    end = models.DateField("离疆日期", null=True, blank=True, validators=DATE_CHECKS)
    people = models.IntegerField(
        "人数",
        default=1,
        validators=[
            MinValueValidator(1, "人数至少为1。"),
            MaxValueValidator(MAX_PEOPLE, f"人数不能超过{MAX_PEOPLE}，请核对。"),
        ],
    )
    person_times = models.IntegerField(
        "人次",
        validators=[
            MinValueValidator(1, "人次至少为1。"),
            MaxValueValidator(MAX_PERSON_TIMES, f"人次不能超过{MAX_PERSON_TIMES}，请核对。"),
        ],
        help_text="一次来3人计3人次；同一批人多次往返，按每次人数累计",
    )
    work = models.CharField("工作内容", max_length=300, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)

    scope_path = "program"
    period_field = "start"
    table_columns = ("start", "experts", "field", "institution", "people", "person_times", "work", "program")
    table_select_related = ("field", "institution", "program")

    class Meta:
        verbose_name = "引进人才"
        verbose_name_plural = "引进人才（进疆开展工作）"
        ordering = ["program", "-start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(people__gte=1), name="talentvisit_people_positive"),
            models.CheckConstraint(
                condition=Q(person_times__gte=models.F("people")), name="talentvisit_person_times_ge_people"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="talentvisit_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.experts} {self.start:%Y-%m-%d} {self.person_times}人次"

    def get_absolute_url(self):
        return reverse("talent:talentvisit_detail", args=[self.pk])

    def clean(self):
        errors = {}
        _end_before_start(errors, self.start, self.end, "end", "进疆工作")
        if self.people and self.person_times and self.person_times < self.people:
            errors["person_times"] = (
                f"人次（{self.person_times}）不能少于人数（{self.people}）：一次来{self.people}人至少计{self.people}人次。"
            )
        if errors:
            raise ValidationError(errors)


def agreement_upload_to(instance, filename: str) -> str:
    """agreements/2024/05/<random>-<original name>.pdf: unguessable, keeps the name readers know."""
    stem = PurePosixPath(filename).stem[:60] or "agreement"
    return f"agreements/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex[:12]}-{stem}.pdf"


class Agreement(Reviewable):
    """框架协议 / 合作协议 brought about by a program: who signed it, when, about what."""

    program = models.ForeignKey(
        "org.Program", verbose_name="促成的援疆项目组", on_delete=models.PROTECT, related_name="agreements"
    )
    kind = models.CharField(
        "协议类型", max_length=20, choices=AgreementKind.choices, default=AgreementKind.FRAMEWORK
    )
    title = models.CharField("协议名称", max_length=200)
    signed_on = models.DateField("签订日期", validators=DATE_CHECKS)
    institution = models.ForeignKey(
        "investment.Institution",
        verbose_name="机构方",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    enterprise = models.ForeignKey(
        "investment.Enterprise",
        verbose_name="企业方",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    government_party = models.CharField("政府方", max_length=150, blank=True, help_text="如：伊宁县人民政府")
    counterpart_team = models.CharField(
        "对接团队或负责人", max_length=150, blank=True, help_text="如：顾春笋团队"
    )
    subject = models.TextField("协议事项", blank=True)
    document = models.FileField(
        "协议文本（PDF）",
        upload_to=agreement_upload_to,
        blank=True,
        max_length=200,
        validators=[validate_pdf],
        help_text="签署文本的扫描件，仅限PDF，不超过20MB",
    )
    note = models.CharField("备注", max_length=300, blank=True)
    # The handover (org.handover): an agreement still in force is copied into the next batch as a
    # continuing agreement, linked to its origin; both carry the handover date. The signing is counted
    # once, where it was signed (talent.metrics.agreements leaves the copies out).
    carried_from = models.ForeignKey(
        "self",
        verbose_name="接续自（上一批次协议）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_to",
        editable=False,  # set by the handover only (org.handover)
    )
    handed_over_on = models.DateField("移交日期", null=True, blank=True, editable=False)

    scope_path = "program"
    period_field = "signed_on"
    table_columns = ("signed_on", "title", "kind", "parties", "counterpart_team", "program")
    table_select_related = ("institution", "enterprise", "program")

    class Meta:
        verbose_name = "协议"
        verbose_name_plural = "框架协议与合作协议"
        ordering = ["program", "-signed_on", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("talent:agreement_detail", args=[self.pk])

    def parties(self) -> str:
        names = [str(p) for p in (self.institution, self.enterprise) if p] + (
            [self.government_party] if self.government_party else []
        )
        return "、".join(names)

    parties.short_description = "签约各方"

    def clean(self):
        errors = {}
        filled = sum(
            bool(x) for x in (self.institution_id, self.enterprise_id, self.government_party.strip())
        )
        if filled < 2:
            errors["institution"] = "协议至少要有两方：请在机构方、企业方、政府方中至少填写两项。"
        validators.check_past_dates(errors, self, "signed_on", earliest=False)
        if errors:
            raise ValidationError(errors)


class TrainingCourse(Reviewable):
    """培训班: who was trained, where and how, how many 人次, and the aid funds it spent — optionally
    paid by an aid project, whose 援疆资金 then bounds the training spending charged to it."""

    program = models.ForeignKey(
        "org.Program", verbose_name="援疆项目组", on_delete=models.PROTECT, related_name="training_courses"
    )
    name = models.CharField("培训班名称", max_length=200)
    audience = models.CharField("培训对象", max_length=20, choices=Audience.choices)
    mode = models.CharField("培训方式", max_length=20, choices=TrainingMode.choices)
    place = models.CharField(
        "培训地点", max_length=150, blank=True, help_text="如：南通市委党校、伊宁县委党校"
    )
    organizer = models.CharField("承办单位", max_length=150, blank=True)
    start = models.DateField("开班日期", validators=DATE_CHECKS)
    end = models.DateField("结业日期", validators=DATE_CHECKS)
    participants = models.IntegerField(
        "培训人次",
        validators=[
            MinValueValidator(1, "培训人次至少为1。"),
            MaxValueValidator(MAX_PERSON_TIMES, f"培训人次不能超过{MAX_PERSON_TIMES}，请核对。"),
        ],
    )
    aid_funds = MoneyField("使用援疆资金（元）", default=0)
    project = models.ForeignKey(
        "projects.AidProject",
        verbose_name="资金来源项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_courses",
        help_text="由援疆项目列支时选择；该项目下各培训班的援疆资金合计不能超过项目的援疆资金",
    )
    note = models.CharField("备注", max_length=300, blank=True)

    scope_path = "program"
    period_field = "start"
    table_columns = (
        "start",
        "name",
        "audience",
        "mode",
        "place",
        "participants",
        "aid_funds",
        "project",
        "program",
    )
    table_select_related = ("project", "program")

    class Meta:
        verbose_name = "培训班"
        verbose_name_plural = "培训班"
        ordering = ["program", "-start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(participants__gte=1), name="trainingcourse_participants_positive"
            ),
            models.CheckConstraint(
                condition=Q(aid_funds__gte=0), name="trainingcourse_aid_funds_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="trainingcourse_end_after_start"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("talent:trainingcourse_detail", args=[self.pk])

    def funds_error(self, project) -> str | None:
        """The overspending message when this course's funds would push `project`'s training spending
        above its 援疆资金, else None (one aggregate query)."""
        if project is None or self.aid_funds is None:
            return None
        others = project.training_courses.exclude(pk=self.pk).aggregate(s=Sum("aid_funds"))["s"] or 0
        total = others + self.aid_funds
        if total <= project.aid_funds:
            return None
        remaining = max(project.aid_funds - others, 0)
        return (
            f"援疆资金超出项目“{project}”的额度：该项目援疆资金{formatting.money(project.aid_funds)}，"
            f"其他培训班已使用{formatting.money(others)}，尚余{formatting.money(remaining)}；"
            f"本班{formatting.money(self.aid_funds)}将使合计达到{formatting.money(total)}。"
        )

    def clean(self):
        errors = {}
        _end_before_start(errors, self.start, self.end, "end", "培训")
        if self.project_id and self.program_id:
            project = self.project
            if project.program_id != self.program_id:
                errors["project"] = f"资金来源项目“{project}”不属于本援疆项目组。"
            else:
                message = self.funds_error(project)
                if message:
                    errors["aid_funds"] = message
        if errors:
            raise ValidationError(errors)


def refuse_overspent_course(write):
    """Kernel hook (before every create and update of a training course, whatever the path): the
    paying project's funds are re-checked with its row locked, so two clerks saving at once cannot
    both spend the last of a project's money (clean() alone would let both through)."""
    from yuanjiang.projects.models import AidProject

    if write.action == "delete":
        return
    ids = {obj.project_id for obj in write.objs} - {None}
    if not ids:
        return
    projects = {p.pk: p for p in AidProject.objects.using(write.using).select_for_update().filter(pk__in=ids)}
    for obj in write.objs:
        if obj.project_id in projects:
            message = obj.funds_error(projects[obj.project_id])
            if message:
                raise ValidationError({"aid_funds": message})
