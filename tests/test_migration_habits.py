"""Migrations hold the schema and nothing that changes with the code: no label, help text or choice
list (kernel/migration.py), and no import of the project's live code in a data migration."""

import ast
from pathlib import Path

from django.db import models
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.questioner import NonInteractiveMigrationQuestioner
from django.db.migrations.state import ModelState, ProjectState

SRC = Path(__file__).resolve().parent.parent / "src" / "yuanjiang"


def _changes(field_before, field_after):
    def state(field):
        project = ProjectState()
        project.add_model(
            ModelState("demoapp", "Thing", [("id", models.AutoField(primary_key=True)), ("f", field)])
        )
        return project

    detector = MigrationAutodetector(
        state(field_before), state(field_after), NonInteractiveMigrationQuestioner(specified_apps={"demoapp"})
    )
    return detector._detect_changes()


def test_labels_help_texts_and_choices_need_no_migration():
    before = models.CharField("名称", max_length=20, help_text="旧说明", choices=[("a", "甲")])
    after = models.CharField("新名称", max_length=20, help_text="新说明", choices=[("a", "甲"), ("b", "乙")])
    assert _changes(before, after) == {}


def test_a_schema_change_still_needs_one():
    before = models.CharField("名称", max_length=20)
    after = models.CharField("名称", max_length=40)
    changes = _changes(before, after)
    assert [type(op).__name__ for op in changes["demoapp"][0].operations] == ["AlterField"]


def _live_imports(path: Path) -> list[str]:
    """Imports of yuanjiang code by a migration, but the `import yuanjiang.app.module` lines Django
    writes for a field's validator or upload path (a reference the field needs, not code the
    migration runs) and the frozen statements kept beside the migrations (`migrations/_*.py`)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        frozen = ".migrations._" in (node.module or "") if isinstance(node, ast.ImportFrom) else False
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("yuanjiang") and not frozen:
            found.append(f"{path.name}:{node.lineno} from {node.module} import …")
        elif isinstance(node, ast.Import) and node.col_offset > 0:
            found += [
                f"{path.name}:{node.lineno} import {a.name}"
                for a in node.names
                if a.name.startswith("yuanjiang")
            ]
    return found


def test_no_migration_imports_live_code():
    migrations = sorted(SRC.glob("*/migrations/0*.py"))
    assert len(migrations) > 20
    offenders = [hit for path in migrations for hit in _live_imports(path)]
    assert not offenders, offenders
