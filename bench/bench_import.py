"""Benchmark of the ledger import against django-import-export.

    .venv/bin/python bench/bench_import.py [ROWS]        (default: 10 000)

Builds a throw-away SQLite database (a temporary folder; or DATABASE_URL's database when
BENCH_DATABASE_URL is set), the reference data and two programs in the same county, and generates a
ROWS-row aid-project ledger (.xlsx: code, name, category label, township, plan year, total investment
and aid funds in 万元, planned and actual start dates). Then it times:

- ours: `importing.preview` of the file, and `importing.commit` (which builds the plan again inside
  its transaction, then writes through DomainQuerySet.bulk_create) into the first program;
- django-import-export (dev-only dependency): a ModelResource for the same columns, reading the same
  file with tablib, `import_data(dry_run=True)` then `import_data(dry_run=False)` into the second
  program, its defaults otherwise (one instance at a time: full_clean + save, each logged).

Prints the times, the rows created by each and the ratio of the commit times.
"""

import io
import os
import sys
import tempfile
import time
from decimal import Decimal

from benchenv import demo_like_program, setup_django

HEADERS = [
    "项目编号",
    "项目名称",
    "项目类别",
    "建设地点（乡镇）",
    "计划年度",
    "总投资（万元）",
    "援疆资金（万元）",
    "计划开工日期",
    "实际开工日期",
]


def ledger_file(rows: int, townships: list[str]) -> bytes:
    import datetime as dt

    import openpyxl

    categories = ["教育", "医疗卫生", "产业发展", "民生基础设施", "乡村振兴"]
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("项目台账")
    ws.append(HEADERS)
    for i in range(rows):
        planned = dt.date(2023, 4 + i % 9, 1 + i % 27)
        ws.append(
            [
                f"B{i:05d}",
                f"基准项目{i}",
                categories[i % len(categories)],
                townships[i % len(townships)],
                2023,
                float(Decimal(200 + i % 50)),
                float(Decimal(100 + i % 97) + Decimal("0.25")),
                planned,
                planned + dt.timedelta(days=10) if i % 3 else None,
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main(argv: list[str]) -> int:
    rows = int(argv[0]) if argv else 10_000
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir, os.environ.get("BENCH_DATABASE_URL"))

        from django.db import connection

        from yuanjiang.core.context import acting_as
        from yuanjiang.interop import mapping
        from yuanjiang.interop.importing import commit, preview
        from yuanjiang.org.services import reference_load
        from yuanjiang.projects.models import AidProject

        with acting_as(None, source="bench"):
            reference_load()
            programs = [demo_like_program(f"bench-{n}", f"基准项目组{n}") for n in (1, 2)]
        townships = [
            r.name.replace("镇", "乡") if i % 4 == 0 else r.name
            for i, r in enumerate(programs[0].townships())
        ]
        data = ledger_file(rows, townships)
        print(f"{rows} rows, {len(data) / 1024 / 1024:.1f} MB .xlsx, database {connection.vendor}")

        ledger = mapping.get("projects")
        t0 = time.perf_counter()
        plan = preview(ledger, programs[0], data, "bench.xlsx")
        t_preview = time.perf_counter() - t0
        assert plan.ok, [str(e) for e in plan.errors[:5]]
        from yuanjiang.interop import importing

        writing = []
        write = importing._write

        def timed_write(*args):
            start = time.perf_counter()
            write(*args)
            writing.append(time.perf_counter() - start)

        importing._write = timed_write
        t0 = time.perf_counter()
        result = commit(ledger, programs[0], data, "bench.xlsx", expected=plan.versions)
        t_commit = time.perf_counter() - t0
        importing._write = write
        t0 = time.perf_counter()
        again = preview(ledger, programs[0], data, "bench.xlsx")
        t_again = time.perf_counter() - t0
        ours = AidProject.objects.filter(program=programs[0]).count()
        print(
            f"ours      preview {t_preview:7.2f} s   commit {t_commit:7.2f} s (writing {writing[0]:.2f} s)"
            f"   created {result.created} ({ours} in db)"
        )
        print(f"ours      re-import preview {t_again:.2f} s: {again.summary}")

        if os.environ.get("BENCH_OURS_ONLY"):
            return 0
        t_dry, t_real, created = _django_import_export(data, programs[1])
        print(f"django-import-export  dry run {t_dry:7.2f} s   import {t_real:7.2f} s   created {created}")
        print(
            f"commit: ours {t_commit:.2f} s vs django-import-export {t_real:.2f} s → {t_real / t_commit:.1f}× faster"
        )
        print(
            f"preview + commit: ours {t_preview + t_commit:.2f} s vs {t_dry + t_real:.2f} s → "
            f"{(t_dry + t_real) / (t_preview + t_commit):.1f}× faster"
        )
    return 0


def _django_import_export(data: bytes, program):
    import tablib
    from import_export import fields, resources, widgets

    from yuanjiang.core.context import acting_as
    from yuanjiang.org.models import Region
    from yuanjiang.projects.choices import Category
    from yuanjiang.projects.models import AidProject

    labels = {str(label): value for value, label in Category.choices}

    class WanYuan(widgets.DecimalWidget):
        def clean(self, value, row=None, **kwargs):
            amount = super().clean(value, row, **kwargs)
            return None if amount is None else (amount * 10000).quantize(Decimal("0.01"))

    class CategoryLabel(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return labels[value]

    class Township(widgets.ForeignKeyWidget):
        def clean(self, value, row=None, **kwargs):
            stem = str(value).removesuffix("乡").removesuffix("镇")
            for region in self._regions:
                if region.name == value or region.stem == stem:
                    return region
            raise ValueError(f"{value} 不是乡镇")

    township_widget = Township(Region, "name")
    township_widget._regions = list(program.townships())

    class ProjectResource(resources.ModelResource):
        code = fields.Field("code", "项目编号")
        name = fields.Field("name", "项目名称")
        category = fields.Field("category", "项目类别", widget=CategoryLabel())
        township = fields.Field("township", "建设地点（乡镇）", widget=township_widget)
        plan_year = fields.Field("plan_year", "计划年度", widget=widgets.IntegerWidget())
        total_investment = fields.Field("total_investment", "总投资（万元）", widget=WanYuan())
        aid_funds = fields.Field("aid_funds", "援疆资金（万元）", widget=WanYuan())
        planned_start = fields.Field("planned_start", "计划开工日期", widget=widgets.DateWidget())
        actual_start = fields.Field("actual_start", "实际开工日期", widget=widgets.DateWidget())

        class Meta:
            model = AidProject
            import_id_fields = ("code",)
            fields = (
                "code",
                "name",
                "category",
                "township",
                "plan_year",
                "total_investment",
                "aid_funds",
                "planned_start",
                "actual_start",
            )
            clean_model_instances = True

        def get_queryset(self):
            return AidProject.objects.filter(program=program)

        def before_save_instance(self, instance, row, **kwargs):
            instance.program = program

        def init_instance(self, row=None):
            return AidProject(program=program)

    def run(dry_run):
        dataset = tablib.Dataset().load(data, format="xlsx")
        with acting_as(None, source="bench:import-export"):
            t0 = time.perf_counter()
            result = ProjectResource().import_data(
                dataset, dry_run=dry_run, use_transactions=True, raise_errors=True
            )
            return time.perf_counter() - t0, result

    t_dry, _ = run(True)
    t_real, result = run(False)
    created = AidProject.objects.filter(program=program).count()
    assert not result.has_errors() and not result.has_validation_errors()
    return t_dry, t_real, created


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
