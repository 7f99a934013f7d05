"""Where ledgers come from: each app's own `ledgers.py` (interop.spec.LedgerSpec), found by discovery as
metrics are; the Excel layer lists no app's ledgers and walks no URL conf (issue 20, review F6)."""

import ast
import io
import re
import types
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import get_resolver, reverse
from openpyxl import load_workbook

from yuanjiang.common.discovery import app_modules
from yuanjiang.interop import checks, mapping
from yuanjiang.interop.spec import LedgerSpec

INTEROP = Path(mapping.__file__).parent
DOMAIN_APPS = ("projects", "investment", "health", "talent", "education", "culture", "metrics", "reports")


@pytest.fixture
def fresh_ledgers():
    """Forget the discovered ledgers before and after the test (a test may declare more)."""
    mapping._discovered.cache_clear()
    mapping._ledgers.cache_clear()
    yield
    mapping._discovered.cache_clear()
    mapping._ledgers.cache_clear()


def test_every_ledger_is_declared_by_its_models_own_app():
    declared = {}
    for module in app_modules("ledgers"):
        app_label = module.__name__.split(".")[1]
        for spec in module.LEDGERS:
            assert spec.model.split(".")[0] == app_label, (module.__name__, spec.model)
            declared[spec.model] = spec
        for key in getattr(module, "LOOKUPS", {}):
            assert key.split(".")[0] == app_label, (module.__name__, key)
    assert {ledger.model._meta.label for ledger in mapping.ledgers()} == set(declared)
    for ledger in mapping.ledgers():
        assert ledger.declared == declared[ledger.model._meta.label].declared
    positions = [declared[ledger.model._meta.label].position for ledger in mapping.ledgers()]
    assert positions == sorted(positions)  # every list of ledgers is in the apps' declared order


def test_the_excel_layer_names_no_domain_app_and_walks_no_url_conf():
    apps = "|".join(DOMAIN_APPS)
    for path in INTEROP.rglob("*.py"):
        source = path.read_text()
        assert not re.search(rf"yuanjiang\.({apps})\b", source), path
        assert "get_resolver" not in source, path
        tree = ast.parse(source)
        # No ledger spec and no lookups of an app's model (a docstring's example aside).
        calls = [n.func for n in ast.walk(tree) if isinstance(n, ast.Call)]
        assert not [f for f in calls if getattr(f, "id", getattr(f, "attr", "")) == "LedgerSpec"], path
        keys = [getattr(k, "value", None) for n in ast.walk(tree) if isinstance(n, ast.Dict) for k in n.keys]
        assert not [k for k in keys if isinstance(k, str) and re.match(rf"({apps})\.[A-Z]", k)], path


def _scoped_list_page_models() -> list[type]:
    found = []

    def walk(patterns):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns)
                continue
            view = getattr(p.callback, "view_class", None)
            model = getattr(view, "model", None)
            if view and getattr(view, "lists_domain_records", False) and model not in found:
                if getattr(model, "scope_path", None) not in (None, "self_program"):
                    found.append(model)

    walk(get_resolver().url_patterns)
    return found


def test_every_scoped_list_page_has_a_ledger():
    """A program's records on a generic list page have a ledger (export, template, import): the app
    declares it in its ledgers.py, if only as `LedgerSpec("<app>.<Model>")` (docs/ledgers.md)."""
    models = _scoped_list_page_models()
    assert len(models) >= 15
    missing = [m._meta.label for m in models if mapping.ledger_for_model(m) is None]
    assert not missing, f"add LedgerSpec(...) to the app's ledgers.py for {missing}"


def test_the_import_page_lists_the_declared_ledgers_by_position(client, clerk):
    client.force_login(clerk)
    html = client.get(reverse("interop:index")).content.decode()
    declared = [ledger for ledger in mapping.ledgers() if ledger.declared]
    places = [html.index(ledger.label) for ledger in declared]
    assert places == sorted(places)
    assert declared[0].kind == "projects"  # the project ledger first, as the clerks know it
    # A derived ledger (a school) is exported and importable by its kind, not listed on the page.
    assert mapping.get("school").declared is False and "学校台账" not in html


def test_a_new_apps_ledger_needs_only_its_ledgers_py(monkeypatch, fresh_ledgers, client, clerk):
    """An app that declares a ledger in its own module is found, placed by its position, and served
    (template, kinds) without any edit of the Excel layer."""
    extra = types.ModuleType("yuanjiang.investment.extra_ledgers")
    extra.LEDGERS = [
        LedgerSpec(
            "investment.Park",
            kind="parks",
            label="园区台账",
            keys=(("name",),),
            synonyms={"name": ("园区",)},
            position=15,
        )
    ]
    real = app_modules
    monkeypatch.setattr(mapping, "app_modules", lambda name: [*real(name), extra])
    kinds = [ledger.kind for ledger in mapping.ledgers()]
    assert kinds[:3] == ["projects", "parks", "outputs"]
    ledger = mapping.get("parks")
    assert ledger.declared and ledger.column("name").synonyms == ("园区",)
    client.force_login(clerk)
    response = client.get(reverse("interop:template", args=["parks"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in sheet[2]][: len(ledger.headers)] == ledger.headers


def test_a_ledger_declared_twice_or_derived_from_an_unscoped_model_is_refused(monkeypatch, fresh_ledgers):
    real = app_modules
    twice = types.ModuleType("twice")
    twice.LEDGERS = [LedgerSpec("talent.Agreement")]
    monkeypatch.setattr(mapping, "app_modules", lambda name: [*real(name), twice])
    with pytest.raises(ImproperlyConfigured, match=r"talent\.Agreement"):
        mapping.ledgers()
    mapping._discovered.cache_clear()
    unscoped = types.ModuleType("unscoped")
    unscoped.LEDGERS = [LedgerSpec("investment.Park")]  # shared reference records: no program
    monkeypatch.setattr(mapping, "app_modules", lambda name: [*real(name), unscoped])
    with pytest.raises(ImproperlyConfigured, match="scope_path"):
        mapping.ledgers()
    # `manage.py check` (every start-up) says so before any page is served.
    mapping._discovered.cache_clear()
    [error] = checks.ledgers_load()
    assert error.id == "interop.E001" and "investment.Park" in error.msg


def test_a_spec_is_either_declared_or_only_a_model():
    with pytest.raises(ValueError, match="label and its keys"):
        LedgerSpec("talent.Agreement", kind="agreements", label="协议台账")
    with pytest.raises(ValueError, match="needs a kind"):
        LedgerSpec("talent.Agreement", synonyms={"title": ("协议",)})
    with pytest.raises(ValueError, match=r"app_label\.ModelName"):
        LedgerSpec("Agreement")
    assert not LedgerSpec("talent.Agreement").declared
