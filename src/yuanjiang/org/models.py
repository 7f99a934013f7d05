from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from yuanjiang.cnnum.numerals import int_to_chinese
from yuanjiang.kernel.models import DomainModel


class ReferenceRelease(DomainModel):
    """One release of the reference data (e.g. the statistics bureau's 2023 division codes), as loaded.

    `yuanjiang load_reference` records each release it applies; a region remembers the last release
    that listed it, so a later release can rename or recode it in place (its records keep pointing at
    it) and mark what it no longer lists as ended (valid_to) instead of deleting it.
    """

    key = models.SlugField("标识", max_length=40, unique=True)
    title = models.CharField("名称", max_length=150)
    year = models.PositiveSmallIntegerField("版本年份")
    cutoff = models.DateField("截止日期", help_text="区划状态的截止日期")
    source = models.CharField("来源", max_length=300)
    licence = models.CharField("许可", max_length=150)
    rows = models.PositiveIntegerField("条目数", default=0)
    loaded_at = models.DateTimeField("载入时间", null=True, blank=True)

    class Meta:
        verbose_name = "参考数据版本"
        verbose_name_plural = "参考数据版本"
        ordering = ["cutoff"]

    def __str__(self):
        return self.title


class Region(DomainModel):
    """Administrative division with the statistics bureau's code (统计用区划代码).

    Codes are hierarchical (65 → 6540 → 654021 → 654021100), so a subtree is a code prefix.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", "省级"
        PREFECTURE = "prefecture", "地级"
        COUNTY = "county", "县级"
        TOWNSHIP = "township", "乡级"

    # The statistical division code (统计用区划代码) is `code`: the API and IATI export use it as the
    # location code; `former_codes` keeps the codes a later release replaced.
    code = models.CharField("区划代码", max_length=12, unique=True, help_text="国家统计局统计用区划代码")
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=12, choices=Level.choices)
    kind = models.CharField("类型", max_length=20, blank=True, help_text="镇 / 乡 / 团场 …")
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    aliases = models.CharField("曾用名/别名", max_length=300, blank=True, help_text="以顿号或逗号分隔")
    valid_from = models.DateField("生效日期", null=True, blank=True)
    valid_to = models.DateField("失效日期", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    former_codes = models.CharField("曾用区划代码", max_length=200, blank=True, help_text="以顿号分隔")
    release = models.ForeignKey(
        ReferenceRelease,
        verbose_name="参考数据版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="regions",
        help_text="最近一次列出该区划的参考数据版本；手工补充的区划为空",
    )

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def stem(self) -> str:
        """The name without its 镇/乡 suffix: texts of different years use either for the same place."""
        for suffix in ("回族乡", "镇", "乡"):
            if self.name.endswith(suffix) and len(self.name) > len(suffix) + 1:
                return self.name[: -len(suffix)]
        return self.name


class Organization(DomainModel):
    """Aid-side and local bodies in a tree: province → front command → work group → teams."""

    class Kind(models.TextChoices):
        PROVINCE = "province", "省级援疆单位"
        FRONT_COMMAND = "front_command", "前方指挥部"
        WORK_GROUP = "work_group", "工作组"
        TEAM = "team", "工作组内设组"
        GOVERNMENT = "government", "受援地政府部门"
        SCHOOL = "school", "学校"
        HOSPITAL = "hospital", "医院"
        OTHER = "other", "其他"

    slug = models.SlugField("标识", max_length=80, unique=True)
    name = models.CharField("名称", max_length=150)
    short_name = models.CharField("简称", max_length=60, blank=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.ForeignKey(Region, verbose_name="所在地", null=True, blank=True, on_delete=models.PROTECT)
    # Materialized path of ancestor slugs ("/jiangsu/jiangsu-yili-front/"): a subtree is one indexed
    # prefix filter, and ordering by path lists the tree depth-first. Known before the first save, so
    # a new organization is one insert and one change-log entry.
    path = models.CharField(max_length=500, editable=False, db_index=True, default="/")

    class Meta:
        verbose_name = "组织机构"
        verbose_name_plural = "组织机构"
        ordering = ["path"]

    def __str__(self):
        return self.name

    def clean(self):
        node = self.parent
        while node is not None:
            if node.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": "上级单位不能是本单位或其下级单位。"})
            node = node.parent

    def save(self, *args, **kwargs):
        new_path = f"{self.parent.path if self.parent else '/'}{self.slug}/"
        old_path = self.path
        self.path = new_path
        super().save(*args, **kwargs)
        if old_path not in ("/", new_path):
            for child in Organization.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                child.path = new_path + child.path[len(old_path) :]
                child.save(update_fields=["path"])

    def subtree(self):
        return Organization.objects.filter(path__startswith=self.path)

    def get_absolute_url(self):
        return reverse("org:organization_detail", args=[self.slug])


class Program(DomainModel):
    """对口支援关系 / 工作组任期: provider work group × recipient county × batch × term.

    The unit of permission, reporting and roll-up: nearly every record belongs to one program.
    """

    slug = models.SlugField("标识", max_length=80, unique=True)
    name = models.CharField("名称", max_length=150)
    provider = models.ForeignKey(
        Organization, verbose_name="援助方工作组", on_delete=models.PROTECT, related_name="programs"
    )
    recipient_region = models.ForeignKey(
        Region, verbose_name="受援地", on_delete=models.PROTECT, related_name="programs"
    )
    batch = models.PositiveSmallIntegerField("批次", help_text="第几批援疆干部人才")
    term_start = models.DateField("任期开始")
    term_end = models.DateField("任期结束")
    predecessor = models.OneToOneField(
        "self",
        verbose_name="上一批次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successor",
        help_text="同一结对关系的上一批援疆工作组（接力棒）",
    )
    report_definition = models.CharField(
        "成绩单模板",
        max_length=60,
        default="default",
        help_text="系统内置的成绩单模板（reports/definitions/）",
    )

    scope_path = "self_program"

    class Meta:
        verbose_name = "援疆项目组（任期）"
        verbose_name_plural = "援疆项目组（任期）"
        ordering = ["provider__path", "-batch"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__gte=models.F("term_start")), name="program_term_end_after_start"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def self_program(self):
        return self

    @property
    def batch_label(self) -> str:
        return f"第{int_to_chinese(self.batch)}批"

    def clean(self):
        errors = {}
        if self.term_start and self.term_end and self.term_end < self.term_start:
            errors["term_end"] = "任期结束日期不能早于任期开始日期。"
        prev = self.predecessor
        if prev is not None:
            if prev.pk == self.pk and self.pk is not None:
                errors["predecessor"] = "上一批次不能是本批次。"
            elif prev.recipient_region_id != self.recipient_region_id:
                errors["predecessor"] = (
                    f"上一批次“{prev}”的受援地不是{self.recipient_region}，不属同一结对关系。"
                )
            elif self.batch is not None and prev.batch >= self.batch:
                errors["predecessor"] = f"上一批次“{prev}”的批次应早于{self.batch_label}。"
            elif self.term_start and prev.term_start and prev.term_start >= self.term_start:
                errors["predecessor"] = f"上一批次“{prev}”的任期应早于本批次。"
        if errors:
            raise ValidationError(errors)

    def succession(self) -> list["Program"]:
        """The batches of this pairing, earliest first (接力棒): predecessors, self, successors.
        One query whatever the number of batches: a batch's predecessor has the same recipient
        (clean()), so the pairing's programs are read at once and the links followed in memory."""
        kin = {
            p.pk: p
            for p in Program.objects.filter(recipient_region_id=self.recipient_region_id).select_related(
                "provider", "recipient_region"
            )
        }
        kin[self.pk] = self
        after = {p.predecessor_id: p for p in kin.values() if p.predecessor_id is not None}
        chain = [self]
        node, seen = self, {self.pk}
        while node.predecessor_id in kin and node.predecessor_id not in seen:
            node = kin[node.predecessor_id]
            seen.add(node.pk)
            chain.insert(0, node)
        node = self
        while node.pk in after and after[node.pk].pk not in seen:
            node = after[node.pk]
            seen.add(node.pk)
            chain.append(node)
        return chain

    def townships(self):
        """The township-level divisions of the recipient county (for form choices and validation)."""
        return Region.objects.filter(parent=self.recipient_region).order_by("code")

    def get_absolute_url(self):
        return reverse("org:program_detail", args=[self.slug])
