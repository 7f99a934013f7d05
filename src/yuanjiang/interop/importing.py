"""Importing a ledger: a preview first (what will be created, updated, left alone; every error tied to
its row and column), then an all-or-nothing commit.

    plan = preview(ledger, program, data, filename, user)      # reads, matches, validates; writes nothing
    result = commit(ledger, program, data, filename, user, expected=plan.versions)

`commit` builds the same plan again inside one transaction, refuses when the file has an error or a
matched record changed since the preview (its version differs), then writes through the logged bulk
paths of `DomainQuerySet` (`bulk_create`, `bulk_update(objs, fields)`), under
`acting_as(user, source="导入:<hash>:<file name>")`, so the change log names the file.

Queries. The preview runs a fixed number of queries whatever the row count: the program's records,
the candidates of each foreign key (the program's aid projects, the county's townships …) and the
batch rules are loaded once; each row is validated with `full_clean()` minus the checks that need
the database per row (foreign keys and uniqueness, which matching against the loaded records
answers; the township-in-county check, answered by resolving townships among the county's own;
closed periods, whose active closes are read once per import; the rules reading other records — the
money rules of aid projects and fund transactions — declared once in the model's `clean_batch`,
which `clean()` uses for one record and `_batch_rules` for the whole sheet). Models whose own `clean()` or
`save()` looks further records up (training courses, education fund entries) keep those lookups.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from yuanjiang.accounts import scoping
from yuanjiang.common.messages import natural
from yuanjiang.core import maintenance
from yuanjiang.core.context import acting_as, current
from yuanjiang.interop import cells
from yuanjiang.interop.mapping import Column, Ledger, normalize_header
from yuanjiang.interop.reading import MappedColumn, ReadError, Table, choose_sheet, read_sheets
from yuanjiang.review import guard

BATCH_SIZE = 1000
SOURCE_PREFIX = "导入"


class ImportRefused(Exception):
    """The import cannot go ahead (no permission, errors in the file, records changed since the
    preview). The message is Chinese; `issues` lists the file's errors, if any."""

    def __init__(self, message: str, issues: list[Issue] | None = None):
        super().__init__(message)
        self.issues = issues or []


@dataclass
class Issue:
    row: int | None
    column: str | None
    message: str
    level: str = "error"  # "error" blocks the import; "warning" is shown and does not

    def __str__(self) -> str:
        place = (f"第{self.row}行" if self.row else "") + (f"「{self.column}」" if self.column else "")
        return f"{place}：{self.message}" if place else self.message


@dataclass
class RowPlan:
    row: int
    action: str  # "create" | "update" | "same" | "error"
    obj: object = None
    cells: list[str] = field(default_factory=list)  # the mapped cells as shown
    bad: set[int] = field(default_factory=set)  # indexes (in cells) of cells with an error
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (column, old, new)
    fields: list[str] = field(default_factory=list)  # changed field names
    errors: list[Issue] = field(default_factory=list)
    values: dict = field(default_factory=dict)


@dataclass
class Preview:
    ledger: Ledger
    program: object
    filename: str
    sha256: str
    sheet: str = ""
    header_rows: tuple[int, ...] = ()
    headers: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    other_sheets: list[str] = field(default_factory=list)
    rows: list[RowPlan] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    versions: dict[int, int] = field(default_factory=dict)  # matched record pk → version at preview

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level != "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def summary(self) -> str:
        return (
            f"新增{self.count('create')}条，更新{self.count('update')}条，不变{self.count('same')}条，"
            f"有错误{self.count('error')}行"
        )


def source_label(filename: str, sha256: str) -> str:
    """The change log's source of an import: 导入:<first 16 hex digits of the hash>:<file name>."""
    return f"{SOURCE_PREFIX}:{sha256[:16]}:{filename}"[:64]


# ----------------------------------------------------------------------------------------------
# Foreign keys: the candidates of each FK column, loaded once, matched by normalised name or code.


def _township_names(region) -> set[str]:
    names = {region.name, region.stem}
    for alias in (region.aliases or "").replace("，", "、").replace(",", "、").split("、"):
        alias = alias.strip()
        if alias:
            names.add(alias)
            for suffix in ("回族乡", "镇", "乡"):
                if alias.endswith(suffix) and len(alias) > len(suffix) + 1:
                    names.add(alias[: -len(suffix)])
    stem = region.stem
    names |= {stem + "乡", stem + "镇"}
    return {normalize_header(n) for n in names if n}


class _Lookup:
    def __init__(self, column: Column, program, townships):
        self.column = column
        self.by_text: dict[str, list] = defaultdict(list)
        self.objects: dict[int, object] = {}
        related = column.related
        if column.lookups == ("township",):
            candidates = townships
            for region in candidates:
                self.objects[region.pk] = region
                for name in _township_names(region):
                    self.by_text[name].append(region)
            return
        qs = related._default_manager.all()
        path = getattr(related, "scope_path", None)
        if path and path != "self_program" and not getattr(related, "shared", False):
            qs = qs.filter(**{path: program})
        candidates = list(qs)
        program_attr = "program" if path == "program" else None
        for obj in candidates:
            if program_attr:
                setattr(obj, program_attr, program)  # cached: no query when validation walks to it
            self.objects[obj.pk] = obj
        for attr in column.lookups:
            for obj in candidates:
                value = getattr(obj, attr, None)
                if value not in (None, ""):
                    key = normalize_header(value)
                    if obj not in self.by_text[key]:
                        self.by_text[key].append(obj)

    def resolve(self, value):
        text = cells.text(value)
        found = self.by_text.get(normalize_header(text), [])
        if len(found) == 1:
            return found[0]
        label = self.column.label
        if not found:
            if self.column.lookups == ("township",):
                raise cells.CellError(f"“{text}”不是受援县的乡镇（乡、镇两种写法均可）")
            if self.column.related._meta.label == "projects.AidProject":
                raise cells.CellError(f"本项目组中没有编号或名称为“{text}”的援疆项目")
            raise cells.CellError(f"没有找到{label}“{text}”，请先在系统中登记")
        raise cells.CellError(f"“{text}”对应多条{label}记录，请填写编号或更完整的名称")


# ----------------------------------------------------------------------------------------------
# Validation of a row with full_clean(), without the per-row queries (see the module docstring).


def _masks(model) -> tuple[str, ...]:
    """Attributes hidden from the model's clean() because the import answers them for the batch."""
    names = [f.attname for f in model._meta.concrete_fields if f.name == "township" and f.is_relation]
    return tuple(names)


def _validate(obj, exclude: list[str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    try:
        obj.clean_fields(exclude=exclude)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    masks = _masks(type(obj))
    saved = {name: obj.__dict__.get(name) for name in masks}
    obj._batch_checked = True  # the rules reading other records: for the whole sheet (_batch_rules)
    try:
        for name in masks:
            obj.__dict__[name] = None
        obj.clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    finally:
        obj.__dict__.update(saved)
        del obj._batch_checked
    for name, messages in obj._plausibility_errors(()).items():
        if name not in errors:
            errors.setdefault(name, []).extend(messages)
    return errors


# ----------------------------------------------------------------------------------------------


def _display(column: Column, value, lookup: _Lookup | None = None) -> str:
    if value is None or value == "":
        return ""
    if column.kind == "fk":
        obj = value
        if column.lookups == ("township",):
            return obj.name
        return str(getattr(obj, column.lookups[0], obj))
    if column.kind == "money":
        return f"{(Decimal(value) / Decimal(10000)).normalize():f}万元" if value else "0"
    if column.kind == "choice":
        return dict(column.choices).get(value, str(value))
    if column.kind == "bool":
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _same(column: Column, old, new) -> bool:
    if column.kind == "fk":
        return (old.pk if old is not None else None) == (new.pk if new is not None else None)
    if column.kind == "text":
        return (old or "").strip() == (new or "").strip()
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        if old is None or new is None:
            return old is new
        return Decimal(old) == Decimal(new)
    return old == new


def _key_value(column: Column, value):
    if value is None or value == "":
        return None
    if column.kind == "fk":
        return value.pk
    if column.kind == "text":
        return normalize_header(value)
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def _existing(ledger: Ledger, program) -> list:
    model = ledger.model
    qs = model._default_manager.filter(**{model.scope_path: program})
    return list(qs.order_by("pk"))


def _empty_value(model_field):
    if model_field.has_default():
        return model_field.get_default()
    if model_field.null:
        return None
    return ""


def build_preview(
    ledger: Ledger, program, data: bytes, filename: str, *, progress=None, lock=False
) -> Preview:
    """The plan of an import of `data` into `program` (no permission check: see `preview`)."""
    sha = hashlib.sha256(data).hexdigest()
    plan = Preview(ledger, program, filename, sha)
    table = None
    sheets = read_sheets(data, filename)
    table, others = choose_sheet(sheets, ledger)
    plan.sheet, plan.header_rows, plan.other_sheets = table.sheet, table.header_rows, others
    plan.headers = [c.header for c in table.mapped]
    plan.unmapped = table.unmapped
    for row, column, message in table.warnings:
        plan.issues.append(Issue(row, column, message, "warning"))
    if table.unmapped:
        plan.issues.append(
            Issue(
                None,
                None,
                "以下列未能对应到系统字段，未导入：" + "、".join(f"「{u}」" for u in table.unmapped),
                "warning",
            )
        )
    if not table.rows:
        raise ReadError(f"工作表“{table.sheet}”的表头下面没有数据行。")
    _plan_rows(plan, table, program, progress=progress, lock=lock)
    return plan


_gc_lock = threading.Lock()
_gc_pausers = 0  # imports inside _no_gc_pauses, in any thread
_gc_was_enabled = False


@contextlib.contextmanager
def _no_gc_pauses():
    """The cyclic garbage collector paused while a plan's many small objects are built: its full
    passes over every live object grow with the rows and made a 10 000-row plan superlinear.

    The collector is the process's: it is paused while any thread is inside this block, and resumed
    (if it was running) when the last one leaves. Reference counting still frees what is not in a
    cycle, so other threads of the process keep their memory bounded meanwhile."""
    global _gc_pausers, _gc_was_enabled
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_was_enabled:
                gc.enable()


def _plan_rows(plan: Preview, table: Table, program, *, progress=None, lock=False):
    with _no_gc_pauses():
        _plan_rows_inner(plan, table, program, progress=progress, lock=lock)


def _plan_rows_inner(plan: Preview, table: Table, program, *, progress=None, lock=False):
    ledger = plan.ledger
    model = ledger.model
    townships = list(program.townships())
    lookups = {
        m.column.field: _Lookup(m.column, program, townships) for m in table.mapped if m.column.kind == "fk"
    }
    existing = _existing(ledger, program)
    if lock and existing:
        # the matched records stay as they are until the commit ends
        list(
            model._default_manager.filter(**{model.scope_path: program}).select_for_update().values_list("pk")
        )
    for obj in existing:
        if ledger.program_field:
            setattr(obj, ledger.program_field, program)
        for name, lookup in lookups.items():
            rel_id = getattr(obj, f"{name}_id", None)
            if rel_id is not None and rel_id in lookup.objects:
                setattr(obj, name, lookup.objects[rel_id])
    columns_by_field = {m.column.field: m for m in table.mapped}
    # Existing records indexed by every key alternative whose fields the sheet has.
    alternatives = [alt for alt in ledger.keys if all(f in columns_by_field for f in alt)]
    if not alternatives:
        raise ReadError(
            "表中没有可用来匹配已有记录的列（"
            + "；".join("、".join(ledger.column(f).header for f in alt) for alt in ledger.keys)
            + "），无法判断哪些是新记录。"
        )
    index: list[dict[tuple, list]] = []
    for alt in alternatives:
        by_key: dict[tuple, list] = defaultdict(list)
        for obj in existing:
            key = tuple(_key_value(ledger.column(f), getattr(obj, f)) for f in alt)
            if None not in key:
                by_key[key].append(obj)
        index.append(by_key)
    unique_alt = {i for i, alt in enumerate(alternatives) if len(alt) == 1}
    seen_keys: dict[tuple, int] = {}
    used: set[int] = set()
    totals_sum: dict[str, Decimal] = defaultdict(Decimal)
    sums_since_subtotal: dict[str, Decimal] = defaultdict(Decimal)
    total_rows = {r: (word, cells_) for r, word, cells_ in table.totals}
    all_rows = sorted(
        [(r, "data", c) for r, c in table.rows] + [(r, "total", c) for r, _w, c in table.totals]
    )
    n = len(table.rows)
    done = 0
    with guard.batch():
        for row_no, what, row_cells in all_rows:
            if what == "total":
                _check_total(plan, table, row_no, *total_rows[row_no], totals_sum, sums_since_subtotal)
                continue
            done += 1
            if progress and done % 500 == 0:
                progress(done, n)
            rp = _plan_row(plan, table, row_no, row_cells, lookups, program)
            for m in table.mapped:
                if m.column.kind in ("money", "int", "decimal"):
                    v = rp.values.get(m.column.field)
                    if isinstance(v, (int, Decimal)):
                        totals_sum[m.column.field] += Decimal(v)
                        sums_since_subtotal[m.column.field] += Decimal(v)
            plan.rows.append(rp)
            if rp.errors:
                continue
            # Match: the first key alternative the row fills.
            target = None
            for i, alt in enumerate(alternatives):
                key = tuple(_key_value(ledger.column(f), rp.values.get(f)) for f in alt)
                if None in key:
                    continue
                seen = seen_keys.get((i, key))
                if seen is not None and i in unique_alt:
                    col = columns_by_field[alt[0]]
                    _row_error(rp, table, col, f"与第{seen}行重复（同一{col.column.label}只能出现一次）")
                    break
                seen_keys.setdefault((i, key), row_no)
                for candidate in index[i].get(key, ()):
                    if candidate.pk not in used:
                        target = candidate
                        break
                break
            if rp.errors:
                continue
            _apply(plan, table, rp, target, program)
            if target is not None:
                used.add(target.pk)
                plan.versions[target.pk] = target.version
        if progress:
            progress(n, n)
        _batch_rules(plan)


def _row_error(rp: RowPlan, table: Table, mapped: MappedColumn | None, message: str):
    rp.errors.append(Issue(rp.row, mapped.header if mapped else None, message))
    if mapped is not None:
        try:
            rp.bad.add(table.mapped.index(mapped))
        except ValueError:
            pass
    rp.action = "error"


def _plan_row(plan: Preview, table: Table, row_no: int, row_cells: list, lookups, program) -> RowPlan:
    rp = RowPlan(row_no, "create")
    named = table.program_column
    if named is not None:
        raw = row_cells[named.index] if named.index < len(row_cells) else None
        text = cells.text(raw) if raw is not None else ""
        if text and normalize_header(text) not in (
            normalize_header(program.name),
            normalize_header(program.slug),
        ):
            rp.errors.append(
                Issue(
                    row_no,
                    named.header,
                    f"本行属于“{text}”，不是本次导入的“{program}”；请按项目组分别导入（只能导入到本人负责的项目组）",
                )
            )
            rp.action = "error"
    for m in table.mapped:
        raw = row_cells[m.index] if m.index < len(row_cells) else None
        rp.cells.append(cells.text(raw) if raw is not None else "")
        column = m.column
        try:
            if cells.is_empty(raw, column.kind):
                if column.required:
                    raise cells.CellError("必填，不能为空")
                value = None if column.kind != "text" else ""
            elif column.kind == "fk":
                value = lookups[column.field].resolve(raw)
            else:
                value = cells.convert(column, raw, m.factor)
        except cells.CellError as exc:
            _row_error(rp, table, m, str(exc))
            continue
        rp.values[column.field] = value
    return rp


def _apply(plan: Preview, table: Table, rp: RowPlan, target, program):
    ledger = plan.ledger
    model = ledger.model
    if target is None:
        obj = model()
        if ledger.program_field:
            setattr(obj, ledger.program_field, program)
    else:
        obj = target
    for m in table.mapped:
        column = m.column
        if column.field not in rp.values:
            continue
        new = rp.values[column.field]
        model_field = model._meta.get_field(column.field)
        if new is None or (new == "" and column.kind != "text"):
            new = None if column.kind == "fk" else _empty_value(model_field)
        old = getattr(obj, column.field) if target is not None else None
        if target is not None and _same(column, old, new):
            continue
        if target is not None:
            rp.fields.append(column.field)
            rp.changes.append((column.label, _display(column, old), _display(column, new)))
        setattr(obj, column.field, new)
    rp.obj = obj
    if target is None:
        _creation_defaults(plan, table, rp, obj)
    if target is not None and not rp.fields:
        rp.action = "same"
        return
    rp.action = "create" if target is None else "update"
    # Only the fields the sheet sets are checked field by field (the others keep their stored or
    # default values); the model's clean() and the plausibility rules see the whole record.
    mapped = {m.column.field for m in table.mapped}
    exclude = [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation or not f.editable or (f.name not in mapped and (target is not None or f.blank))
    ]
    errors = _validate(obj, exclude)
    if errors:
        by_field = {m.column.field: m for m in table.mapped}
        for name, messages in errors.items():
            mapped = by_field.get(name)
            label = None
            if mapped is None and name != NON_FIELD_ERRORS:
                try:
                    label = ledger.column(name).header
                except KeyError:
                    label = str(model._meta.get_field(name).verbose_name)
            for message in messages:
                text = _message_text(model, name, message)
                if mapped is not None:
                    _row_error(rp, table, mapped, text)
                else:
                    rp.errors.append(Issue(rp.row, label, text))
                    rp.action = "error"
        if target is not None:  # leave the loaded record as it was
            for name, value in (target._loaded_values or {}).items():
                if name in {f.attname for f in model._meta.concrete_fields}:
                    target.__dict__[name] = value


def _message_text(model, name: str, message) -> str:
    """A validation message as text; Django's default ones named after the field (common.messages)."""
    if isinstance(message, ValidationError):
        if name != NON_FIELD_ERRORS:
            try:
                model_field = model._meta.get_field(name)
            except Exception:
                model_field = None
            if model_field is not None:
                message = natural(message, str(model_field.verbose_name), model_field=model_field)
        return "；".join(str(m) for m in message.messages)
    return str(message)


def _creation_defaults(plan: Preview, table: Table, rp: RowPlan, obj):
    """Values a new record takes when the sheet leaves them out: an aid project's 总投资, when the
    ledger has no such column or the cell is empty, is its 援疆资金 plus 其他资金 (the least it can be)."""
    if plan.ledger.model._meta.label != "projects.AidProject":
        return
    if rp.values.get("total_investment") in (None, ""):
        obj.total_investment = (obj.aid_funds or Decimal(0)) + (obj.other_funds or Decimal(0))


def _check_total(plan: Preview, table: Table, row_no: int, word: str, row_cells, totals_sum, since_subtotal):
    sums = since_subtotal if word == "小计" else totals_sum
    for m in table.mapped:
        if m.column.kind not in ("money", "int", "decimal"):
            continue
        raw = row_cells[m.index] if m.index < len(row_cells) else None
        if cells.is_empty(raw, m.column.kind):
            continue
        stated = cells.number_or_none(raw, m.factor, m.column)
        if stated is None:
            continue
        computed = sums.get(m.column.field, Decimal(0))
        if Decimal(stated) != computed:
            plan.issues.append(
                Issue(
                    row_no,
                    m.header,
                    f"{word}为{_display(m.column, stated)}，与上方各行之和{_display(m.column, computed)}不符，请核对。",
                    "warning",
                )
            )
    if word == "小计":
        since_subtotal.clear()


def _batch_rules(plan: Preview):
    """The model's rules that read other records (`DomainModel.clean_batch`), checked for all the
    rows to write at once: a fixed number of queries, and the sheet's own rows count."""
    rows = [r for r in plan.rows if r.action in ("create", "update")]
    model = plan.ledger.model
    if not rows or not hasattr(model, "clean_batch"):
        return
    for r, found in zip(rows, model.clean_batch([r.obj for r in rows]), strict=True):
        for name, message in found.items():
            _error_at(plan, r, name, message)


def _error_at(plan: Preview, rp: RowPlan, field_name: str, message: str):
    mapped = next((i for i, h in enumerate(plan.ledger.columns) if h.field == field_name), None)
    header = plan.ledger.columns[mapped].label if mapped is not None else None
    for i, h in enumerate(plan.headers):
        if normalize_header(h).startswith(normalize_header(header or "")):
            rp.bad.add(i)
            header = h
            break
    rp.errors.append(Issue(rp.row, header, message))
    rp.action = "error"


def _collect_errors(plan: Preview):
    for r in plan.rows:
        plan.issues.extend(r.errors)
    plan.issues.sort(key=lambda i: (i.level != "error", i.row or 0))


def check_permission(user, program):
    if user is None:
        return
    if not scoping.programs(user, scoping.CHANGE).filter(pk=program.pk).exists():
        raise ImportRefused(f"您没有向“{program}”导入数据的权限（只能导入到本人负责的项目组）。")


def preview(ledger: Ledger, program, data: bytes, filename: str, user=None, *, progress=None) -> Preview:
    """What an import would do. Raises ReadError (unreadable file) or ImportRefused (no permission)."""
    check_permission(user, program)
    plan = build_preview(ledger, program, data, filename, progress=progress)
    _collect_errors(plan)
    return plan


@dataclass
class Result:
    created: int
    updated: int
    unchanged: int
    source: str


OPTIMIZE_AFTER_ROWS = 1000


def commit(
    ledger: Ledger,
    program,
    data: bytes,
    filename: str,
    user=None,
    *,
    expected: dict[int, int] | None = None,
    progress=None,
) -> Result:
    """Import `data` into `program`, all or nothing. Raises ImportRefused when the file has an error
    or a record matched at the preview (`expected`: pk → version) has changed since."""
    check_permission(user, program)
    sha = hashlib.sha256(data).hexdigest()
    source = source_label(filename, sha)
    model = ledger.model
    request_id = current().request_id or None
    with acting_as(user, source=source, request_id=request_id), transaction.atomic():
        plan = build_preview(ledger, program, data, filename, progress=progress, lock=True)
        _collect_errors(plan)
        if plan.errors:
            raise ImportRefused(f"文件中有{len(plan.errors)}处错误，未导入任何数据。", plan.errors)
        if expected is not None:
            stale = [pk for pk, version in plan.versions.items() if expected.get(pk) != version]
            stale += [pk for pk in expected if pk not in plan.versions]
            if stale:
                names = "、".join(str(o) for o in model._default_manager.filter(pk__in=stale[:5]))
                raise ImportRefused(
                    f"预览之后，有{len(stale)}条记录已被他人修改（{names}{'等' if len(stale) > 5 else ''}），"
                    "未导入任何数据。请重新上传预览后再确认。"
                )
        creates = [r.obj for r in plan.rows if r.action == "create"]
        updates = [r for r in plan.rows if r.action == "update"]
        try:
            _write(model, creates, updates)
        except ValidationError as exc:  # a rule of the write kernel (a closed period's figures …)
            raise ImportRefused("未导入任何数据：" + "；".join(exc.messages)) from None
    if len(creates) + len(updates) >= OPTIMIZE_AFTER_ROWS:
        # A big import can change a table's size tenfold: refresh the planner statistics once it is
        # committed (core.maintenance; on SQLite only the stale tables are analyzed).
        transaction.on_commit(maintenance.optimize)
    return Result(len(creates), len(updates), plan.count("same"), source)


def _write(model, creates, updates):
    # The program's closed periods are read once for the whole write (inside its transaction).
    with guard.batch(), _no_gc_pauses():
        # Every rule (closed periods, review's back to 草稿, a fund's balance …) rides on the kernel's
        # bulk paths: nothing is copied here.
        for start in range(0, len(creates), BATCH_SIZE):
            model._default_manager.bulk_create(creates[start : start + BATCH_SIZE])
        by_fields: dict[tuple, list] = defaultdict(list)
        for r in updates:
            by_fields[tuple(sorted(r.fields))].append(r.obj)
        for fields, objs in by_fields.items():
            model._default_manager.bulk_update(objs, list(fields), batch_size=BATCH_SIZE)


__all__ = [
    "ImportRefused",
    "Issue",
    "Preview",
    "ReadError",
    "Result",
    "RowPlan",
    "commit",
    "preview",
    "source_label",
]
