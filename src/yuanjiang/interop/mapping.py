"""One declarative mapping per model: which spreadsheet columns a ledger (台账) has and how a cell
becomes a field value and back.

A `Ledger` is derived from the model's concrete editable fields (verbose_name → header, MoneyField →
a 万元 column, choices → labels, foreign keys → the related record's natural name or code), refined
by what the model's own app declares in its `ledgers.py` (`interop.spec.LedgerSpec`: kind name, key
fields, synonyms, excluded fields, notes, its place in the list; `LOOKUPS`: how a cell names one of
the app's records), found by `common.discovery.app_modules("ledgers")`: this module lists no app's
ledgers. The reader, the importer, the exporter and the blank templates all read the same `Ledger`,
so a sheet exported by the system is read back without loss (`Column.to_cell` is the exact inverse of
`Column.parse`).

Keys: `Ledger.keys` is a tuple of alternatives, each a tuple of field names; a row is matched to an
existing record of the program by the first alternative whose fields are all filled in the row
(("code",), then ("name",) for aid projects).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache, lru_cache

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from yuanjiang.common.discovery import app_modules
from yuanjiang.common.fields import MoneyField
from yuanjiang.interop.spec import LedgerSpec

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
    # Set for declared ledgers (a LedgerSpec with a kind); a derived one (a spec with only the model:
    # everything from its fields) is exported and importable too, but not listed on the import page.
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


# How a cell names a region: the township's name (乡/镇 variants understood, interop.importing), for
# every app (the program's county's townships are the candidates). Other models: their app's LOOKUPS.
_TOWNSHIP_LOOKUPS = {"org.Region": ("township",)}


def _lookups_for(model) -> tuple[str, ...]:
    key = model._meta.label
    if key in _TOWNSHIP_LOOKUPS:
        return _TOWNSHIP_LOOKUPS[key]
    if key in _discovered().lookups:
        return _discovered().lookups[key]
    names = {f.name for f in model._meta.concrete_fields}
    found = tuple(n for n in ("name", "title", "code", "slug") if n in names)
    return found or ("pk",)


def _unit_of(verbose: str) -> str:
    _base, bracket = split_header(verbose)
    return bracket if bracket in ("人", "人次", "%", "个", "例", "名", "家", "次", "项") else ""


def _column(model_field, spec: LedgerSpec | None) -> Column:
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


def _importable_fields(model, spec: LedgerSpec | None):
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


def build(model, spec: LedgerSpec | None = None) -> Ledger:
    """The ledger of `model`: its columns derived from its fields, refined by `spec` (a declared one;
    a derived spec, with only the model, refines nothing)."""
    if spec is not None and not spec.declared:
        spec = None
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


@dataclass(frozen=True)
class _Declarations:
    specs: tuple[LedgerSpec, ...]  # by position, then INSTALLED_APPS and declaration order
    lookups: dict[str, tuple[str, ...]]


@cache
def _discovered() -> _Declarations:
    """Every app's `ledgers.py`: its `LEDGERS` (LedgerSpec) and `LOOKUPS` (model → natural keys)."""
    specs: list[LedgerSpec] = []
    lookups: dict[str, tuple[str, ...]] = {}
    for module in app_modules("ledgers"):
        specs.extend(getattr(module, "LEDGERS", ()))
        for key, names in getattr(module, "LOOKUPS", {}).items():
            if key in lookups:
                raise ImproperlyConfigured(f"{module.__name__}: the lookups of {key} are declared twice")
            lookups[key] = tuple(names)
    return _Declarations(tuple(sorted(specs, key=lambda s: s.position)), lookups)


def _build_spec(spec: LedgerSpec) -> Ledger:
    model = apps.get_model(spec.model)
    ledger = build(model, spec)
    if spec.declared:
        return ledger
    # A derived ledger: records of a program (or of a province or county) with columns and a key.
    scope_path = getattr(model, "scope_path", None)
    if not scope_path or scope_path == "self_program" or not (ledger.columns and ledger.keys):
        raise ImproperlyConfigured(
            f"{spec.model}: a derived ledger needs a scoped model (scope_path) with columns and a key"
        )
    return ledger


@cache
def _ledgers() -> tuple[Ledger, ...]:
    found: dict[str, Ledger] = {}
    models_seen: set[type] = set()
    for spec in _discovered().specs:
        ledger = _build_spec(spec)
        if ledger.kind in found or ledger.model in models_seen:
            raise ImproperlyConfigured(f"two ledgers named {ledger.kind!r} or of the model {spec.model}")
        found[ledger.kind] = ledger
        models_seen.add(ledger.model)
    return tuple(found.values())


def ledgers() -> list[Ledger]:
    """Every ledger the apps declare in their `ledgers.py`, by `LedgerSpec.position`."""
    return list(_ledgers())


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
