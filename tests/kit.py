"""The test kit every scoped model goes through: register a case in `tests/cases/<app>.py` and the
generic tests of `tests/test_kit.py` check, for that model, scoping (another program's record is 404
on every page and absent from lists), the change log (a create is logged with its program) and query
counts (the list page runs the same number of queries at two sizes).

    register(ScopedCase(
        name="fundtransaction",
        make=lambda program, n: make_transaction(make_project(program, n), "disbursement", "10"),
        list_url="projects:fundtransaction_list",
        detail_url=None, edit_url="projects:fundtransaction_edit", delete_url="projects:fundtransaction_delete",
        text=lambda obj: obj.project.name,
    ))

`make(program, n)` builds one valid record of the program (and whatever parents it needs); n is a
number unique within the test, for codes and names. `text(obj)` is a string the list page shows for
that record and no other record shows.
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class ScopedCase:
    name: str
    make: Callable
    list_url: str | None = None
    detail_url: str | None = None
    edit_url: str | None = None
    delete_url: str | None = None
    text: Callable = str

    def __str__(self):
        return self.name


@dataclass(frozen=True)
class SharedCase:
    """A shared reference record (DomainModel.shared: an enterprise, a park …): no program. Every
    signed-in user reads it; clerks, leads and admins edit it; supervisors and auditors do not.
    `make(n)` builds one valid record; `text(obj)` is what its list row shows."""

    name: str
    make: Callable
    list_url: str | None = None
    detail_url: str | None = None
    edit_url: str | None = None
    text: Callable = str

    def __str__(self):
        return self.name


CASES: dict[str, ScopedCase] = {}
SHARED_CASES: dict[str, SharedCase] = {}


def register(case: ScopedCase | SharedCase) -> ScopedCase | SharedCase:
    registry = SHARED_CASES if isinstance(case, SharedCase) else CASES
    assert case.name not in registry, f"test case {case.name} registered twice"
    registry[case.name] = case
    return case


def _import_cases():
    import tests.cases

    for info in pkgutil.iter_modules(tests.cases.__path__):
        importlib.import_module(f"tests.cases.{info.name}")


def all_cases() -> list[ScopedCase]:
    _import_cases()
    return sorted(CASES.values(), key=lambda c: c.name)


def all_shared_cases() -> list[SharedCase]:
    _import_cases()
    return sorted(SHARED_CASES.values(), key=lambda c: c.name)


def count_queries(fn) -> int:
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def form_values(html: str, marker: str = "expected_version") -> dict:
    """What a browser posts back for the form holding `marker` (the edit form, not the header's
    logout form), as the page shows it: inputs, checked boxes, selected options, textareas.
    File inputs and buttons are left out, as a browser leaves out an empty file box."""
    from lxml import html as lxml_html

    page = lxml_html.fromstring(html)
    forms = [f for f in page.forms if f.xpath(f".//*[@name='{marker}']")]
    assert len(forms) == 1, f"{len(forms)} forms carry {marker}"
    data: dict[str, list[str]] = {}
    for el in forms[0].xpath(".//input[@name] | .//select[@name] | .//textarea[@name]"):
        name, kind = el.get("name"), (el.get("type") or "text").lower()
        if el.tag == "input":
            if kind in {"submit", "button", "reset", "file", "image"}:
                continue
            if kind in {"checkbox", "radio"} and el.get("checked") is None:
                continue
            data.setdefault(name, []).append(el.get("value", "on" if kind == "checkbox" else ""))
        elif el.tag == "select":
            chosen = [o.get("value", o.text_content()) for o in el.xpath(".//option[@selected]")]
            if not chosen and el.get("multiple") is None:
                first = el.xpath(".//option")
                chosen = [first[0].get("value", first[0].text_content())] if first else []
            data.setdefault(name, []).extend(chosen)
        else:
            data.setdefault(name, []).append(el.text_content())
    return {k: v if len(v) > 1 else v[0] for k, v in data.items() if v}
