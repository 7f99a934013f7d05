"""One declarative mapping per model: which spreadsheet columns a ledger (台账) has and how a cell
becomes a field value and back.

A `Ledger` is derived from the model's concrete editable fields (verbose_name → header, MoneyField →
a 万元 column, choices → labels, foreign keys → the related record's natural name or code), plus a
few per-model declarations (`_SPECS`: kind name, key fields, synonyms, excluded fields, notes). The
reader, the importer, the exporter and the blank templates all read the same `Ledger`, so a sheet
exported by the system is read back without loss (`Column.to_cell` is the exact inverse of
`Column.parse`).

Keys: `Ledger.keys` is a tuple of alternatives, each a tuple of field names; a row is matched to an
existing record of the program by the first alternative whose fields are all filled in the row
(("code",), then ("name",) for aid projects).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache, lru_cache

from django.apps import apps
from django.db import models

from yuanjiang.common.fields import MoneyField

# Fields never written to a sheet nor read from one.
ALWAYS_EXCLUDED = {
    "id",
    "created_at",
    "updated_at",
    "version",
    "review_status",
    "reviewed_by",
    "reviewed_at",
    "review_note",
}

# Money columns are written in 万元; a header or cell may state another unit (元, 亿元).
MONEY_UNITS: dict[str, Decimal] = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(10**8)}
MONEY_DEFAULT_UNIT = "万元"

# Headers every ledger ignores without reporting them (row numbers, remarks of the sheet itself).
IGNORED_HEADERS = ("序号", "序", "编号序号", "no", "no.", "行号")

TRUE_WORDS = ("是", "有", "√", "✓", "y", "yes", "true", "1", "对")
FALSE_WORDS = ("否", "无", "×", "✗", "n", "no", "false", "0", "不是")


def normalize_header(text: object) -> str:
    """Full-width → half-width (NFKC: （）→ (), ０ → 0), no spaces or line breaks, lower case."""
    if isinstance(text, str):
        return _normalize(text)
    return _normalize(str(text or ""))


@lru_cache(maxsize=65536)
def _normalize(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    s = re.sub(r"\s+", "", s)
    return s.lower().replace("【", "(").replace("】", ")").replace("[", "(").replace("]", ")")


_BRACKET = re.compile(r"\(([^()]*)\)$")


def split_header(text: object) -> tuple[str, str]:
    """A header's base name and the text of its trailing bracket: "援疆资金（万元）" → ("援疆资金", "万元")."""
    s = normalize_header(text)
    m = _BRACKET.search(s)
    if m and m.start() > 0:
        return s[: m.start()], m.group(1)
    return s, ""


@dataclass(frozen=True)
class Column:
    field: str  # model attribute name ("aid_funds"; a FK: "township", "project")
    header: str  # canonical header written on export, with its unit: "援疆资金（万元）"
    synonyms: tuple[str, ...] = ()  # other headers accepted on import
    kind: str = "text"  # "text" | "int" | "decimal" | "money" | "date" | "choice" | "fk" | "bool"
    unit: str = ""  # the unit cells are written in ("万元" for money, "人", "人次" …)
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, label) of a choice column
    required: bool = False
    note: str = ""  # the template's notes row ("填写：是/否", "日期如 2024-05-01")
    # A foreign key: the related model and the attributes a cell is matched against; the first is
    # what export writes ("code" of an aid project, "name" of an enterprise). Townships: "township".
    related: type | None = None
    lookups: tuple[str, ...] = ()
    decimal_places: int = 2
    max_length: int | None = None

    @property
    def label(self) -> str:
        """The header without its unit, as messages name the column: 「援疆资金」."""
        return split_header(self.header)[0] if self.unit else self.header

    def header_names(self) -> tuple[str, ...]:
        """Every normalised base name this column answers to."""
        names = []
        for h in (self.header, *self.synonyms):
            full = normalize_header(h)
            base, bracket = split_header(h)
            names.append(full)
            if base and (
                bracket in MONEY_UNITS or bracket in ("人", "人次", "%", "个", "例", "名", "") or self.unit
            ):
                names.append(base)
        return tuple(dict.fromkeys(names))

    def to_cell(self, obj) -> object:
        """The value exported for obj: money as Decimal in the column's unit, a choice's label, a FK's
        natural code or name, a date, a bool as 是/否, None for an empty value."""
        if self.kind == "fk":
            related = getattr(obj, self.field, None)
            if related is None:
                return None
            if self.lookups == ("township",):
                return related.name
            return getattr(related, self.lookups[0])
        value = getattr(obj, self.field, None)
        if value is None:
            return None
        if self.kind == "money":
            return (Decimal(value) / MONEY_UNITS[self.unit or MONEY_DEFAULT_UNIT]).normalize() + Decimal(0)
        if self.kind == "choice":
            return dict(self.choices).get(value, value)
        if self.kind == "bool":
            return "是" if value else "否"
        if self.kind == "decimal":
            return Decimal(value)
        if self.kind == "text" and value == "":
            return None
        return value

    def choice_value(self, text: str) -> str | None:
        """A choice's stored value from its label or value (normalised), or None."""
        return _choice_index(self.choices).get(normalize_header(text))


@cache
def _choice_index(choices: tuple[tuple[str, str], ...]) -> dict[str, str]:
    index = {normalize_header(value): value for value, _label in choices}
    index.update({normalize_header(label): value for value, label in choices})
    return index


@dataclass(frozen=True)
class Ledger:
    kind: str  # CLI/URL name: "projects", "transactions", "progress", one per activity ledger
    label: str  # "项目台账"
    model: type
    columns: tuple[Column, ...]
    keys: tuple[tuple[str, ...], ...]  # alternatives, each a tuple of fields, tried in order
    # Set for declared ledgers; an auto-derived one (any list page's model) is importable too.
    declared: bool = True
    program_field: str | None = "program"  # the FK to Program set from the target program, if any

    def column(self, field_name: str) -> Column:
        for c in self.columns:
            if c.field == field_name:
                return c
        raise KeyError(field_name)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


@dataclass(frozen=True)
class _Spec:
    kind: str
    label: str
    model: str  # "app_label.ModelName"
    keys: tuple[tuple[str, ...], ...]
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)  # field → header (without unit)
    notes: dict[str, str] = field(default_factory=dict)
    order: tuple[str, ...] = ()  # fields first in this order, then the model's order
    units: dict[str, str] = field(default_factory=dict)  # field → unit of an int/decimal column


_PROJECT_FK = ("项目编号", "援疆项目", "项目名称", "项目", "所属项目", "所属援疆项目")

_SPECS: tuple[_Spec, ...] = (
    _Spec(
        "projects",
        "项目台账",
        "projects.AidProject",
        keys=(("code",), ("name",)),
        synonyms={
            "code": ("编号", "项目代码", "项目编码"),
            "name": ("名称", "项目", "建设项目名称", "援疆项目名称"),
            "category": ("类别", "项目类型", "所属领域", "领域"),
            "nature": ("性质", "新建/续建", "新建续建"),
            "delivery_mode": ("建设方式", "援建模式", "实施方式"),
            "township": ("乡镇", "建设地点", "所在乡镇", "建设地点乡镇", "项目地点"),
            "location_detail": ("具体地点", "详细地址", "建设地址"),
            "implementing_unit": ("项目实施单位", "建设单位", "业主单位"),
            "supervising_unit": ("主管单位", "行业主管部门"),
            "aid_side_contact": ("援方负责人", "江苏方责任人", "援方联系人"),
            "local_contact": ("受援地责任人", "受援方负责人", "当地责任人"),
            "plan_year": ("年度", "计划年份", "实施年度", "年份"),
            "total_investment": ("项目总投资", "总投资额", "计划总投资"),
            "aid_funds": ("援疆资金计划", "计划援疆资金", "援疆资金安排", "安排援疆资金", "援疆资金金额"),
            "other_funds": ("其他资金计划", "地方配套资金", "配套资金", "其他来源资金"),
            "content": ("建设内容", "建设规模及内容", "主要建设内容", "建设内容和规模"),
            "expected_beneficiaries": ("受益人数", "预计受益人口", "受益群众"),
            "expected_jobs": ("带动就业", "预计带动就业", "带动就业人数"),
            "planned_start": ("计划开工时间", "计划开工"),
            "actual_start": ("开工时间", "开工日期", "实际开工时间", "实际开工"),
            "planned_completion": ("计划完工时间", "计划竣工日期", "计划竣工时间", "计划完工"),
            "actual_completion": (
                "完工时间",
                "完工日期",
                "竣工时间",
                "竣工日期",
                "实际完工时间",
                "实际竣工日期",
            ),
            "planned_delivery": ("计划交付日期", "计划投产日期", "计划交付时间"),
            "actual_delivery": ("交付日期", "投产日期", "实际交付日期", "实际投产日期", "交付使用时间"),
            "planned_acceptance": ("计划验收时间",),
            "actual_acceptance": ("验收日期", "验收时间", "实际验收时间"),
        },
        headers={"township": "建设地点（乡镇）"},
        notes={"code": "同一项目组内唯一；留空时按项目名称匹配", "township": "乡镇名，乡或镇均可"},
    ),
    _Spec(
        "outputs",
        "项目产出台账",
        "projects.ProjectOutput",
        keys=(("project", "name"),),
        synonyms={"project": _PROJECT_FK, "name": ("产出", "指标", "指标名称"), "quantity": ("数值", "规模")},
        headers={"project": "项目编号"},
    ),
    _Spec(
        "transactions",
        "资金台账",
        "projects.FundTransaction",
        keys=(("project", "kind", "date", "amount"),),
        synonyms={
            "project": _PROJECT_FK,
            "kind": ("资金类型", "类别", "款项类型"),
            "date": ("拨付日期", "下达日期", "支出日期", "时间"),
            "amount": ("资金", "拨付金额", "下达金额", "支出金额"),
            "source_document": ("文号", "凭证号", "依据", "拨付文号", "下达文号"),
        },
        headers={"project": "项目编号"},
    ),
    _Spec(
        "progress",
        "进度台账",
        "projects.ProgressReport",
        keys=(("project", "report_date"),),
        synonyms={
            "project": _PROJECT_FK,
            "report_date": ("日期", "报告日期", "填报时间", "统计日期"),
            "investment_completed": ("完成投资", "累计完成投资额", "已完成投资"),
            "progress_percent": ("形象进度", "进度", "完成进度", "工程进度"),
            "image_progress": ("进度描述", "形象进度情况", "进展情况"),
            "problems": ("问题", "存在的问题", "困难问题"),
            "next_steps": ("下步计划", "下一步工作", "下一步打算"),
        },
        headers={"project": "项目编号"},
    ),
    _Spec(
        "promotion-events",
        "招商活动台账",
        "investment.PromotionEvent",
        keys=(("title", "date"),),
        synonyms={
            "title": ("名称", "活动"),
            "kind": ("类型",),
            "date": ("活动日期", "时间"),
            "place": ("活动地点",),
        },
    ),
    _Spec(
        "investment-projects",
        "招商项目台账",
        "investment.InvestmentProject",
        keys=(("name",),),
        synonyms={
            "name": ("名称", "招商项目名称", "招商项目"),
            "enterprise": ("企业", "投资企业", "企业名称", "签约企业"),
            "cluster": ("产业", "所属产业", "产业集群"),
            "park": ("园区", "落户园区", "所在园区"),
            "township": ("乡镇", "落户乡镇", "所在乡镇"),
            "planned_investment": ("计划投资", "总投资", "投资额", "协议投资额", "签约金额"),
            "actual_investment": ("完成投资", "实际到位资金", "到位资金"),
            "expected_jobs": ("预计带动就业", "带动就业"),
            "actual_jobs": ("实际带动就业", "实际就业"),
            "annual_output": ("产值", "预计年产值"),
        },
        exclude=("signed_event",),
    ),
    _Spec(
        "talent-visits",
        "引进人才台账",
        "talent.TalentVisit",
        keys=(("experts", "start"),),
        synonyms={
            "experts": ("专家", "团队", "人才（团队）", "专家团队", "姓名"),
            "field": ("领域", "专业领域"),
            "institution": ("派出机构", "所在机构"),
            "start": ("进疆时间", "到达日期", "开始日期"),
            "end": ("离疆时间", "结束日期"),
            "people": ("人数",),
            "person_times": ("人次",),
        },
    ),
    _Spec(
        "training-courses",
        "培训台账",
        "talent.TrainingCourse",
        keys=(("name", "start"),),
        synonyms={
            "name": ("培训班", "名称", "培训名称", "培训项目"),
            "audience": ("对象", "培训人员类别"),
            "mode": ("方式", "培训形式"),
            "place": ("培训地点", "地点"),
            "start": ("开班时间", "开始日期", "培训时间"),
            "end": ("结业时间", "结束日期"),
            "participants": ("培训人数", "参训人数", "人数", "培训人次"),
            "aid_funds": ("援疆资金", "使用资金", "经费"),
            "project": ("援疆项目", "所属项目", "项目编号"),
        },
    ),
    _Spec(
        "medical-activities",
        "医疗卫生台账",
        "health.MedicalActivity",
        keys=(("title", "date"),),
        synonyms={
            "title": ("名称", "活动"),
            "kind": ("类型",),
            "date": ("活动日期", "时间"),
            "township": ("乡镇", "所在乡镇", "开展乡镇"),
            "beneficiaries": ("受益人数", "服务群众", "诊疗人次", "义诊人次", "受益群众"),
            "cases": ("病例", "病例数"),
        },
    ),
    _Spec(
        "culture-events",
        "文旅活动台账",
        "culture.CultureEvent",
        keys=(("name", "date"),),
        synonyms={
            "name": ("名称", "活动"),
            "kind": ("类型",),
            "date": ("开始日期", "时间", "日期"),
            "township": ("乡镇", "所在乡镇"),
            "participants": ("参与人数", "参与人次", "参加人数", "参与群众"),
        },
    ),
    _Spec(
        "fund-donations",
        "教育基金捐赠台账",
        "education.FundDonation",
        keys=(("fund", "donor", "date"),),
        synonyms={"fund": ("基金", "基金名称"), "donor": ("捐赠人", "捐赠单位"), "date": ("日期", "时间")},
        order=("fund", "donor", "donor_kind", "date", "amount"),
    ),
    _Spec(
        "fund-grants",
        "教育基金资助台账",
        "education.FundGrant",
        keys=(("fund", "kind", "date", "amount"),),
        synonyms={"fund": ("基金", "基金名称")},
        order=("fund", "kind", "recipient_kind", "recipients", "date", "amount"),
    ),
    _Spec(
        "aid-workers",
        "援疆干部人才名册",
        "talent.AidWorker",
        keys=(("name", "term_start"),),
        synonyms={"name": ("干部姓名", "人才姓名")},
    ),
)

# The natural name or code of a related record, in the order tried; the first is exported.
_LOOKUPS = {
    "projects.AidProject": ("code", "name"),
    "org.Program": ("name", "slug"),
    "org.Region": ("township",),
    "investment.Enterprise": ("name", "credit_code"),
    "investment.IndustryCluster": ("name", "code"),
    "talent.TalentField": ("name", "code"),
}


def _lookups_for(model) -> tuple[str, ...]:
    key = f"{model._meta.app_label}.{model.__name__}"
    if key in _LOOKUPS:
        return _LOOKUPS[key]
    names = {f.name for f in model._meta.concrete_fields}
    found = tuple(n for n in ("name", "title", "code", "slug") if n in names)
    return found or ("pk",)


def _unit_of(verbose: str) -> str:
    _base, bracket = split_header(verbose)
    return bracket if bracket in ("人", "人次", "%", "个", "例", "名", "家", "次", "项") else ""


def _column(model_field, spec: _Spec | None) -> Column:
    f = model_field
    verbose = str(f.verbose_name)
    spec_headers = spec.headers if spec else {}
    synonyms = tuple((spec.synonyms if spec else {}).get(f.name, ()))
    note = (spec.notes if spec else {}).get(f.name, "")
    required = not (f.blank or f.null or f.has_default())
    _base, bracket = split_header(verbose)
    base_cn = verbose[: len(verbose) - len(bracket) - 2] if bracket else verbose
    if isinstance(f, MoneyField):
        header = f"{spec_headers.get(f.name, base_cn)}（{MONEY_DEFAULT_UNIT}）"
        return Column(
            f.name,
            header,
            (verbose, base_cn, *synonyms),
            "money",
            MONEY_DEFAULT_UNIT,
            required=required,
            note=note or "单位：万元，可填到小数点后6位",
        )
    if f.choices:
        choices = tuple((str(v), str(label)) for v, label in f.flatchoices)
        return Column(
            f.name,
            spec_headers.get(f.name, verbose),
            synonyms,
            "choice",
            choices=choices,
            required=required,
            note=note or "填写：" + "/".join(label for _v, label in choices),
        )
    if isinstance(f, models.ForeignKey):
        related = f.related_model
        lookups = _lookups_for(related)
        header = spec_headers.get(f.name, verbose)
        extra = ()
        if related._meta.label == "projects.AidProject" and header != verbose:
            extra = (verbose,)
        return Column(
            f.name,
            header,
            (*extra, *synonyms),
            "fk",
            required=not f.null,
            note=note or ("乡镇名，乡或镇均可" if lookups == ("township",) else ""),
            related=related,
            lookups=lookups,
        )
    if isinstance(f, models.BooleanField):
        return Column(f.name, spec_headers.get(f.name, verbose), synonyms, "bool", note=note or "填写：是/否")
    if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField):
        return Column(
            f.name,
            spec_headers.get(f.name, verbose),
            synonyms,
            "date",
            required=required,
            note=note or "日期如 2024-05-01",
        )
    if isinstance(f, (models.IntegerField,)):
        return Column(
            f.name,
            spec_headers.get(f.name, verbose),
            (base_cn, *synonyms) if bracket else synonyms,
            "int",
            (spec.units if spec else {}).get(f.name, _unit_of(verbose)),
            required=required,
            note=note,
        )
    if isinstance(f, models.DecimalField):
        return Column(
            f.name,
            spec_headers.get(f.name, verbose),
            (base_cn, *synonyms) if bracket else synonyms,
            "decimal",
            (spec.units if spec else {}).get(f.name, _unit_of(verbose)),
            required=required,
            note=note,
            decimal_places=f.decimal_places,
        )
    return Column(
        f.name,
        spec_headers.get(f.name, verbose),
        synonyms,
        "text",
        required=required and not f.blank,
        note=note,
        max_length=f.max_length,
    )


def _importable_fields(model, spec: _Spec | None):
    excluded = ALWAYS_EXCLUDED | set(spec.exclude if spec else ())
    for f in model._meta.concrete_fields:
        if f.name in excluded or not f.editable or f.primary_key or f.auto_created:
            continue
        if isinstance(f, (models.FileField, models.JSONField)):
            continue
        if isinstance(f, models.ForeignKey) and f.related_model._meta.label == "org.Program":
            continue  # the program is the import's target, chosen on the page or with --program
        if isinstance(f, models.ForeignKey) and f.remote_field.parent_link:
            continue
        yield f


def _program_field(model) -> str | None:
    for f in model._meta.concrete_fields:
        if isinstance(f, models.ForeignKey) and f.related_model._meta.label == "org.Program":
            return f.name
    return None


def build(model, spec: _Spec | None = None) -> Ledger:
    """The ledger of `model`: its columns derived from its fields, refined by `spec`."""
    columns = [_column(f, spec) for f in _importable_fields(model, spec)]
    if spec and spec.order:
        rank = {name: i for i, name in enumerate(spec.order)}
        columns.sort(key=lambda c: rank.get(c.field, len(rank)))
    if spec:
        keys = spec.keys
    else:
        names = [c.field for c in columns]
        keys = tuple((n,) for n in ("code", "name", "title") if n in names) or (
            ((names[0],),) if names else ()
        )
    kind = spec.kind if spec else model._meta.model_name
    label = spec.label if spec else f"{model._meta.verbose_name}台账"
    # Key columns are required in the sheet (the first alternative's fields at least).
    key_fields = {f for alt in keys[:1] for f in alt}
    columns = [
        c if c.field not in key_fields or c.required else replace(c, required=len(keys) == 1) for c in columns
    ]
    return Ledger(kind, label, model, tuple(columns), keys, spec is not None, _program_field(model))


@cache
def _declared() -> dict[str, Ledger]:
    result = {}
    from yuanjiang.common.discovery import app_modules  # <app>/ledgers.py: LEDGERS, as metrics.py

    for spec in (*_SPECS, *(s for m in app_modules("ledgers") for s in m.LEDGERS)):
        try:
            model = apps.get_model(spec.model)
        except LookupError:  # an app not installed in this deployment
            continue
        result[spec.kind] = build(model, spec)
    return result


def _list_page_models() -> list[type]:
    """DomainModels that have a generic list page (`lists_domain_records`: common.views.ObjectListView)
    in the URL conf."""
    from django.urls import get_resolver

    from yuanjiang.kernel.models import DomainModel

    found: list[type] = []

    def walk(patterns):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns)
                continue
            view = getattr(p.callback, "view_class", None)
            if view and getattr(view, "lists_domain_records", False):
                model = getattr(view, "model", None)
                if model and issubclass(model, DomainModel) and model not in found:
                    found.append(model)

    walk(get_resolver().url_patterns)
    return found


@cache
def _derived() -> dict[str, Ledger]:
    declared_models = {ledger.model for ledger in _declared().values()}
    result = {}
    for model in _list_page_models():
        if model in declared_models or not getattr(model, "scope_path", None):
            continue
        if model.scope_path == "self_program":
            continue
        ledger = build(model)
        if ledger.columns and ledger.keys:
            result[ledger.kind] = ledger
    return result


def ledgers() -> list[Ledger]:
    """Every ledger: the declared ones first (in declaration order), then those derived from list pages."""
    return [*_declared().values(), *_derived().values()]


def get(kind: str) -> Ledger:
    for ledger in ledgers():
        if ledger.kind == kind:
            return ledger
    names = "、".join(f"{ledger.kind}（{ledger.label}）" for ledger in ledgers())
    raise KeyError(f"没有名为“{kind}”的台账。可用的台账：{names}")


def ledger_for_model(model) -> Ledger | None:
    for ledger in ledgers():
        if ledger.model is model:
            return ledger
    return None
