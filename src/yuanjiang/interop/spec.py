"""How an app declares its Excel ledgers (台账): `LedgerSpec`, used in the app's own `ledgers.py`.

Each installed yuanjiang app may have a module `<app>/ledgers.py` (found by
`common.discovery.app_modules("ledgers")`, as `metrics.py` and `warnings.py` are) with:

    LEDGERS = [
        LedgerSpec(
            "projects.AidProject",
            kind="projects",                       # the URL/CLI name: ./yj import projects FILE
            label="项目台账",                       # the sheet's and the page's name
            keys=(("code",), ("name",)),           # a row matches a record by its code, else its name
            synonyms={"code": ("编号", "项目代码")},  # other headers people write
            position=10,                           # its place in every list of ledgers
        ),
        LedgerSpec("projects.Milestone", position=250),  # derived: everything from the model's fields
    ]
    # Optional: how a cell names a record of one of this app's models when another ledger's foreign
    # key points to it; the first is what export writes. Default: name, title, code, slug (those
    # the model has).
    LOOKUPS = {"projects.AidProject": ("code", "name")}

A spec with only the model (and its position) is a *derived* ledger: its kind is the model's name
(`agreement`), its label `<verbose_name>台账`, a row matched by code, name or title (those the model
has, tried in order; else its first column); it must be a program's records (`scope_path`, not
`self_program`). It is not listed on the ledger page (台账导入) nor offered as 导入… on its list
page, but it is exported, has a template and can be imported by its kind. A spec with a kind is a
*declared* ledger and must give its label and keys.

This module imports nothing from Django's models: an app's `ledgers.py` imports it without loading
the Excel layer.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field

# Where a ledger without an explicit position goes: after the positioned ones, in INSTALLED_APPS order.
DEFAULT_POSITION = 1000


# What only a declared ledger (one with a kind) may give.
_DECLARED_ONLY = ("label", "keys", "synonyms", "exclude", "headers", "notes", "order", "units")


@dataclass(frozen=True)
class LedgerSpec:
    model: str  # "app_label.ModelName"
    _: KW_ONLY
    kind: str = ""  # CLI/URL name ("projects", "fund-grants"); empty: a derived ledger
    label: str = ""  # "项目台账"
    keys: tuple[tuple[str, ...], ...] = ()  # alternatives, each a tuple of fields, tried in order
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # field → other headers accepted
    exclude: tuple[str, ...] = ()  # fields left out of the sheet
    headers: dict[str, str] = field(default_factory=dict)  # field → header (without unit)
    notes: dict[str, str] = field(default_factory=dict)  # field → the template's note
    order: tuple[str, ...] = ()  # columns of these fields first, in this order, then the model's order
    units: dict[str, str] = field(default_factory=dict)  # field → unit of an int/decimal column
    # The ledger's place in every list of ledgers (the ledger page, templates, `./yj import list`).
    position: int = DEFAULT_POSITION

    def __post_init__(self):
        if self.model.count(".") != 1:
            raise ValueError(f"LedgerSpec.model is 'app_label.ModelName', not {self.model!r}")
        if self.kind:
            if not (self.label and self.keys):
                raise ValueError(f"the declared ledger {self.kind!r} needs a label and its keys")
        elif any(getattr(self, name) for name in _DECLARED_ONLY):
            raise ValueError(f"the ledger of {self.model} declares columns or keys: it needs a kind too")

    @property
    def declared(self) -> bool:
        """A declared ledger (its own kind, label, keys); else derived from the model's fields."""
        return bool(self.kind)
