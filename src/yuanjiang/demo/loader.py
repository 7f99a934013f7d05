"""The demo's rows as data, loaded by one loader (the format: docs/demo.md).

Each installed yuanjiang app may keep `demo/first_year.toml` and `demo/second_year.toml` (rows of any
model, nested rows, updates, steps) and flat lists of one model as `demo/<year>/<model label>.csv`.
`load_year` loads, app by app in INSTALLED_APPS order, the app's TOML file of that year and then its
CSV files; `demo.services.demo_load` runs the first year, then the second. A new app adds its demo rows
with files in its own `demo/` folder and no edit anywhere else.

    [["culture.CultureEvent"]]
    program = "nantong-yining-11"        # a foreign key: the natural key of its row, never an id
    name = "“通伊一家亲”民族团结联谊活动"
    kind = "exchange"                    # a choice: its stored value
    date = 2023-07-28
    township = "654021107"               # a region by its code
    participants = 600

- Values as the field stores them; decimals as strings ("1250000.00": nothing rounds through a float);
  a field left out keeps its default.
- A foreign key (or each item of a many-to-many list) is its row's natural key (`natural_key_fields`):
  a string for a model with one unique field, else a table of the fields of its uniqueness constraint
  (`{program = "nantong-yining-11", code = "NTYN-2023-01"}`), resolved recursively (`resolve`).
- A row whose declared natural key names an existing row updates it (`_if_missing = true`: leaves it).
- A key naming a reverse foreign key (`transactions` of an aid project) holds nested rows.
- A top-level key in `STEPS` is small code the data names, not a model (`[[handover]]`).

Every row is written by the `save` given (`demo.services._save`: full_clean, then the kernel write path
and its change log; reviewable rows as 已审核). Errors name the file and the row's problem (LoaderError).
"""

import csv
import datetime as dt
import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.db import models

YEARS = ("first_year", "second_year")  # the order the files are loaded in (per year, every app)
NATURAL_FIELDS = ("slug", "code", "username", "name")  # unique fields preferred as a row's natural key


class LoaderError(Exception):
    pass


def data_files(year: str) -> list[Path]:
    """Every installed yuanjiang app's `demo/<year>.toml`, then its `demo/<year>/<model label>.csv` (by
    name), app by app in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if config.name.startswith("yuanjiang."):
            folder = Path(config.path) / "demo"
            if (folder / f"{year}.toml").is_file():
                found.append(folder / f"{year}.toml")
            if (folder / year).is_dir():
                found += sorted((folder / year).glob("*.csv"))
    return found


def natural_key_fields(model, declared: bool = False) -> tuple[str, ...]:
    """The fields that name one row of `model` without its id: a single unique field (slug, code, username,
    name first), else the fields of its first unconditional uniqueness constraint, else (unless `declared`)
    its `name` or `title` (with its `program` when it has one): unique in the demo's data though not
    declared so (an enterprise, a promotion event)."""
    unique = [
        f.name
        for f in model._meta.concrete_fields
        if f.unique and not f.primary_key and not isinstance(f, models.ForeignKey)
    ]
    for name in NATURAL_FIELDS:
        if name in unique:
            return (name,)
    if unique:
        return (unique[0],)
    for constraint in model._meta.constraints:
        if (
            isinstance(constraint, models.UniqueConstraint)
            and constraint.fields
            and constraint.condition is None
        ):
            return tuple(constraint.fields)
    for together in model._meta.unique_together:
        return tuple(together)
    if not declared:
        names = {f.name for f in model._meta.concrete_fields}
        for label in ("name", "title"):
            if label in names:
                return ("program", label) if "program" in names else (label,)
    return ()


def resolve(model, key):
    """The row of `model` that the natural key `key` (a string/number, or a table of fields) names."""
    if isinstance(key, dict):
        lookup = {}
        for name, value in key.items():
            field = model._meta.get_field(name)
            if field.is_relation and value is not None:
                lookup[name] = resolve(field.related_model, value)
            else:
                lookup[name] = field.to_python(value) if value is not None else None
    else:
        fields = natural_key_fields(model)
        if len(fields) != 1:
            raise LoaderError(
                f"{model._meta.label} 没有单一的自然键，请写成字段表，如 {{{', '.join(fields)}}}：{key!r}"
            )
        lookup = {fields[0]: key}
    try:
        return model._base_manager.get(**lookup)
    except model.DoesNotExist:
        raise LoaderError(f"找不到 {model._meta.label}：{key!r}") from None
    except model.MultipleObjectsReturned:
        raise LoaderError(f"{model._meta.label} 的键不唯一：{key!r}") from None


def _existing(model, values: dict):
    """The row a record names by its natural key, when the record gives that key in full and it exists."""
    fields = natural_key_fields(model, declared=True)
    if not fields or any(name not in values for name in fields):
        return None
    return model._base_manager.filter(**{name: values[name] for name in fields}).first()


def _value(field, raw):
    if raw is None:
        return None
    if field.is_relation:
        return resolve(field.related_model, raw)
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return raw if isinstance(raw, dt.date) else dt.date.fromisoformat(raw)
    if isinstance(field, models.DecimalField):
        return Decimal(str(raw))
    if isinstance(field, models.BooleanField) and isinstance(raw, str):
        return raw.strip().lower() in ("true", "1", "是")
    return field.to_python(raw)


def load_record(model, record: dict, save: Callable, parent: tuple | None = None):
    """Save one row (a new one, or the existing row its natural key names, updated), then its
    many-to-many lists and its nested rows (a key naming a reverse foreign key: rows pointing at this one)."""
    record = dict(record)
    if_missing = record.pop("_if_missing", False)
    values, many, nested = {}, {}, {}
    reverse = {rel.get_accessor_name(): rel for rel in model._meta.related_objects if rel.one_to_many}
    for name, raw in record.items():
        try:
            field = reverse.get(name) or model._meta.get_field(name)
        except Exception:
            raise LoaderError(f"{model._meta.label} 没有字段“{name}”") from None
        if field.many_to_many and not field.auto_created:
            many[field] = raw
        elif field.one_to_many:
            nested[field] = raw
        else:
            values[field.name] = _value(field, raw)
    if parent is not None:
        values[parent[0]] = parent[1]
    obj = _existing(model, values)
    if obj is not None and if_missing:
        return obj
    if obj is None:
        obj = model(**values)
    else:
        for name, value in values.items():
            setattr(obj, name, value)
    save(obj)
    for field, keys in many.items():
        getattr(obj, field.name).set([resolve(field.related_model, key) for key in keys])
    for rel, rows in nested.items():
        for row in rows:
            load_record(rel.related_model, row, save, parent=(rel.field.name, obj))
    return obj


def _csv_rows(path: Path) -> list[dict]:
    """A CSV file's rows as records: a header `a.b` puts the cell at record["a"]["b"] (a foreign key's
    natural key as a table: `teaching_class.school.name`); an empty cell is left out (the default)."""
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for line in csv.DictReader(fh):
            record = {}
            for header, cell in line.items():
                if cell is None or cell == "":
                    continue
                *parents, name = header.strip().split(".")
                target = record
                for parent in parents:
                    target = target.setdefault(parent, {})
                target[name] = cell
            rows.append(record)
    return rows


def load_file(path: Path, save: Callable) -> int:
    """Load one data file's rows in the order they are written; returns the number of top-level rows.
    A CSV file holds rows of the one model its name gives (`education.ExamResult.csv`)."""
    if path.suffix == ".csv":
        content = {path.stem: _csv_rows(path)}
    else:
        with path.open("rb") as fh:
            content = tomllib.load(fh)
    count = 0
    for label, rows in content.items():
        if label in STEPS:
            for row in rows:
                STEPS[label](row, save)
            continue
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            raise LoaderError(f"{path}：未知的模型“{label}”") from None
        for row in rows:
            try:
                load_record(model, row, save)
            except LoaderError as exc:
                raise LoaderError(f"{path}：{exc}") from None
            count += 1
    return count


def _handover(row: dict, save: Callable):
    """`[[handover]]`: a previous batch hands its unfinished projects over (org.handover, not a row):
    `from` and `to` are program slugs, `on` the date, `projects` the codes of `from`'s projects."""
    from yuanjiang.org.handover import hand_over
    from yuanjiang.org.models import Program

    previous = resolve(Program, row["from"])
    hand_over(
        previous,
        resolve(Program, row["to"]),
        [previous.aid_projects.get(code=code) for code in row["projects"]],
        row["on"],
    )


STEPS = {"handover": _handover}  # top-level keys that are steps (small code the data names), not models


def load_year(year: str, save: Callable) -> int:
    return sum(load_file(path, save) for path in data_files(year))
