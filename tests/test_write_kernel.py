"""The write kernel: every rule rides on one pipeline, so no path gets around it.

The defects this pins down were each found by trying a path the rule was not patched onto: a plan
year that moved a project out of a closed period's figures, deletes of roster records and photos,
`QuerySet.update()` of an approved record, a fund emptied by `QuerySet.delete()`, the base manager,
forged log rows and a published card altered in the database.
"""

import ast
import datetime as dt
import pathlib
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Sum

from yuanjiang.accounts.models import User
from yuanjiang.core import history
from yuanjiang.core.context import acting_as
from yuanjiang.core.models import ChangeSet, ObjectChange
from yuanjiang.education.models import Fund, FundDonation
from yuanjiang.investment.models import ParkUpgrade
from yuanjiang.kernel import hooks
from yuanjiang.kernel.models import DomainModel
from yuanjiang.metrics.registry import evaluate
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.periods import Period
from yuanjiang.projects.models import AidProject, FundTransaction, ProgressPhoto, ProgressReport
from yuanjiang.review import services
from yuanjiang.talent.models import AidWorker

pytestmark = pytest.mark.django_db

FIRST_YEAR = Period(dt.date(2023, 4, 1), dt.date(2024, 6, 30))
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
    b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def figures(program, period=FIRST_YEAR) -> dict:
    """Every declared metric of the period, counting 已审核 records and all records."""
    out = {}
    for review in ("approved", "all"):
        for code, figure in evaluate(None, Scope(program=program), period, review=review).items():
            out[(review, code)] = figure.value
    return out


@pytest.fixture
def closed(demo, settings, tmp_path):
    """The demo with its first year closed by its lead; a photo on a report of that year."""
    settings.MEDIA_ROOT = tmp_path
    program = demo.program
    report = ProgressReport.objects.filter(
        project__program=program, report_date__range=(FIRST_YEAR.start, FIRST_YEAR.end)
    ).first()
    with acting_as(None, source="test"):
        photo = ProgressPhoto.objects.create(
            report=report, image=SimpleUploadedFile("p.png", PNG), caption="现场"
        )
    lead = User.objects.get(username="nt_lead")
    services.close_period(program, FIRST_YEAR, lead, "首年成绩单已上报")
    return program, photo


def refused(fn):
    """The write is refused with a message, and nothing of it stays."""
    with pytest.raises(ValidationError) as info:
        with acting_as(None, source="test"), transaction.atomic():
            fn()
    return " ".join(info.value.messages)


# -- the defects ----------------------------------------------------------------------------------


def test_a_plan_year_cannot_move_a_project_out_of_a_closed_periods_figures(closed):
    program, _photo = closed
    before = figures(program)
    assert before[("approved", "projects.started")] == 15
    project = AidProject.objects.filter(
        program=program, actual_start__range=(FIRST_YEAR.start, FIRST_YEAR.end)
    )
    project = project.filter(plan_year=2023).first()
    entries = ObjectChange.objects.count()

    def save():
        project.plan_year = 2025
        project.save()

    message = refused(save)
    assert "已结账" in message and "援疆项目" in message and "→" in message  # the figures it would change
    project.refresh_from_db()
    refused(lambda: AidProject.objects.filter(pk=project.pk).update(plan_year=2025))
    project.plan_year = 2025
    refused(lambda: AidProject.objects.bulk_update([project], ["plan_year"]))
    refused(lambda: AidProject._base_manager.filter(pk=project.pk).update(plan_year=2025))
    assert AidProject.objects.get(pk=project.pk).plan_year == 2023
    assert figures(program) == before
    assert ObjectChange.objects.count() == entries


def test_roster_records_and_park_upgrades_of_a_closed_period_cannot_be_deleted(closed):
    program, _photo = closed
    before = figures(program)
    worker = AidWorker.objects.filter(program=program, term_start__lte=FIRST_YEAR.end).first()
    upgrade = ParkUpgrade.objects.filter(aid_project__program=program).first()
    assert worker is not None and upgrade is not None
    assert "已结账" in refused(worker.delete)
    refused(lambda: AidWorker.objects.filter(pk=worker.pk).delete())
    refused(upgrade.delete)
    refused(lambda: ParkUpgrade.objects.filter(pk=upgrade.pk).delete())
    assert (
        AidWorker.objects.filter(pk=worker.pk).exists() and ParkUpgrade.objects.filter(pk=upgrade.pk).exists()
    )
    assert figures(program) == before


def test_a_photo_of_a_closed_periods_report_is_kept_with_its_file(closed):
    _program, photo = closed
    path = pathlib.Path(photo.image.path)
    assert path.exists()
    assert "已结账" in refused(photo.delete)
    refused(lambda: ProgressPhoto.objects.filter(pk=photo.pk).delete())
    refused(lambda: ProgressReport.objects.filter(pk=photo.report_id).delete())  # nor by its report's cascade
    assert ProgressPhoto.objects.filter(pk=photo.pk).exists() and path.exists()


def test_a_queryset_update_of_an_approved_record_sends_it_back_to_draft(demo):
    from yuanjiang.culture.models import CultureEvent

    event = CultureEvent.objects.filter(review_status="approved").first()
    with acting_as(None, source="script"):
        CultureEvent.objects.filter(pk=event.pk).update(name="改过的名称")
    event.refresh_from_db()
    assert (event.name, event.review_status, event.reviewed_by_id) == ("改过的名称", "draft", None)
    entry = history.fill(
        [ObjectChange.objects.filter(object_id=str(event.pk), action="update").latest("id")]
    )[0]
    assert entry.after["review_status"] == "draft" and entry.before["review_status"] == "approved"
    # A review transition changes only the review fields: it stays what it was set to.
    with acting_as(None, source="script"):
        CultureEvent.objects.filter(pk=event.pk).update(review_status="submitted")
    event.refresh_from_db()
    assert event.review_status == "submitted"


def test_a_queryset_delete_cannot_overdraw_an_education_fund(demo):
    fund = Fund.objects.get(program=demo.program)
    balance = fund.donations.aggregate(s=Sum("amount"))["s"] - fund.grants.aggregate(s=Sum("amount"))["s"]
    assert balance >= 0 and fund.grants.exists()
    message = refused(lambda: FundDonation.objects.filter(fund=fund).delete())
    assert "负数" in message
    refused(lambda: FundDonation.objects.filter(fund=fund).update(amount=Decimal("1")))
    after = fund.donations.aggregate(s=Sum("amount"))["s"] - fund.grants.aggregate(s=Sum("amount"))["s"]
    assert after == balance


def test_the_base_manager_and_forged_log_rows_are_refused(closed):
    program, _photo = closed
    txn = FundTransaction.objects.filter(
        project__program=program, date__range=(FIRST_YEAR.start, FIRST_YEAR.end)
    ).first()
    entries = ObjectChange.objects.count()
    refused(lambda: FundTransaction._base_manager.filter(pk=txn.pk).update(amount=F("amount") + 1))
    assert FundTransaction.objects.get(pk=txn.pk).amount == txn.amount
    assert ObjectChange.objects.count() == entries
    with pytest.raises(PermissionError):
        ObjectChange.objects.bulk_create([ObjectChange(action="create", object_id="1")])
    with pytest.raises(PermissionError):  # nor one by one, nor a change set of its own
        ObjectChange.objects.create(action="create", object_id="1", content_type_id=1)
    with pytest.raises(PermissionError):
        ChangeSet.objects.create(time=txn.updated_at, source="forged")
    assert ObjectChange.objects.count() == entries


def test_a_fixture_of_change_sets_is_refused(db, tmp_path):
    fixture = tmp_path / "forged.json"
    fixture.write_text(
        '[{"model": "core.changeset", "pk": 999, "fields": {"time": "2024-01-01T00:00:00Z",'
        ' "actor_name": "nobody", "request_id": "", "source": "forged"}}]',
        encoding="utf-8",
    )
    with pytest.raises(Exception, match="变更日志"):
        call_command("loaddata", str(fixture), verbosity=0)
    assert not ChangeSet.objects.filter(pk=999).exists()


def test_a_published_card_altered_in_the_database_is_refused_and_shown(client, demo):
    from yuanjiang.reports import definition as defs
    from yuanjiang.reports import services as reports
    from yuanjiang.reports.models import Publication, PublicationFile

    lead = User.objects.get(username="nt_lead")
    report = reports.report_build(defs.load("default"), Scope(program=demo.program), FIRST_YEAR)
    with acting_as(lead, source="test"):
        publication = reports.report_publish(report=report, user=lead, formats=["html", "json"])
    with pytest.raises(PermissionError):
        PublicationFile._base_manager.filter(publication=publication).update(content=b"x")
    with pytest.raises(PermissionError):
        Publication._base_manager.filter(pk=publication.pk).update(title="改")
    client.force_login(User.objects.get(username="auditor"))
    url = f"/reports/published/{publication.pk}/"
    assert client.get(f"{url}html/").status_code == 200
    with connection.cursor() as cursor:  # what only a database shell could do
        cursor.execute(
            f"UPDATE {PublicationFile._meta.db_table} SET content = %s WHERE publication_id = %s AND format = 'html'",
            [b"<p>tampered</p>", publication.pk],
        )
    response = client.get(f"{url}html/")
    assert response.status_code == 409 and "篡改" in response.content.decode()
    assert "篡改" in client.get(url).content.decode()


# -- the invariant, on every path -----------------------------------------------------------------


def _perturbed(field, value):
    """Another plausible value of the field (None: the field is left alone)."""
    from django.db import models

    if field.primary_key or field.is_relation or not field.editable or field.attname in ("version",):
        return None
    if field.choices:
        others = [c for c, _label in field.flatchoices if c != value and c not in ("", None)]
        return others[0] if others else None
    if isinstance(field, models.BooleanField):
        return not value
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return None if value is None else value + dt.timedelta(days=400)
    if isinstance(field, models.DecimalField | models.IntegerField):
        return 1 if value in (None, 0) else value + 1
    if isinstance(field, models.CharField | models.TextField):
        return (value or "") + "改"
    return None


def _domain_models():
    from django.apps import apps

    return [
        m
        for m in apps.get_models()
        if issubclass(m, DomainModel) and m._meta.app_label not in ("review", "accounts", "org", "claims")
    ]


def _first_of(model, program):
    """The first record of `model` that belongs to `program` (None when it has none)."""
    rows = model.objects.order_by("pk")
    if model.scope_path and model.scope_path != "self_program":
        rows = rows.filter(**{model.scope_path: program})
    return rows.first()


def _try(fn):
    try:
        with acting_as(None, source="invariant"), transaction.atomic():
            fn()
        return True
    except (ValidationError, IntegrityError):
        return False


def test_no_write_on_any_path_changes_a_closed_periods_figures(closed):
    """For every domain model and field, each write path is tried on a record of the closed program:
    the figures of the closed period are the same after every write, accepted or refused, and every
    accepted write left its entry in the log."""
    program, _photo = closed
    before = figures(program)
    tried = accepted = 0
    for model in _domain_models():
        obj = _first_of(model, program)
        if obj is None:
            continue
        for field in model._meta.concrete_fields:
            if _perturbed(field, getattr(obj, field.attname)) is None:
                continue
            for path in ("save", "update", "bulk_update"):
                obj = model.objects.filter(pk=obj.pk).first()
                if obj is None:  # deleted with a record it belonged to (an accepted cascade)
                    break
                new = _perturbed(field, getattr(obj, field.attname))
                entries = ObjectChange.objects.count()
                if path == "save":
                    setattr(obj, field.attname, new)
                    ok = _try(obj.save)
                elif path == "update":
                    ok = _try(
                        lambda m=model, o=obj, f=field, n=new: m.objects.filter(pk=o.pk).update(**{f.name: n})
                    )
                else:
                    setattr(obj, field.attname, new)
                    ok = _try(lambda m=model, o=obj, f=field: m.objects.bulk_update([o], [f.name]))
                tried += 1
                accepted += ok
                if ok:
                    assert ObjectChange.objects.count() > entries, (model, field.name, path)
                assert figures(program) == before, (model._meta.label, field.name, path)
        obj = _first_of(model, program)
        if obj is None:
            continue
        for path in ("delete", "queryset_delete", "bulk_create"):
            if path == "delete":
                ok = _try(lambda m=model, o=obj: m.objects.get(pk=o.pk).delete())
            elif path == "queryset_delete":
                ok = _try(lambda m=model, o=obj: m.objects.filter(pk=o.pk).delete())
            else:
                copy = model.objects.filter(pk=obj.pk).first() or obj
                copy.pk = None
                for f in model._meta.concrete_fields:
                    if f.unique and not f.primary_key and isinstance(getattr(copy, f.attname), str):
                        setattr(copy, f.attname, getattr(copy, f.attname) + "副本")
                ok = _try(lambda m=model, c=copy: m.objects.bulk_create([c]))
            tried += 1
            accepted += ok
            assert figures(program) == before, (model._meta.label, path)
    print(f"invariant: {tried} writes tried, {accepted} accepted")
    assert tried > 300 and 0 < accepted < tried


# -- the kernel's shape ---------------------------------------------------------------------------


def test_a_rule_is_one_subscriber_on_every_path(db, program):
    """A new rule registered once is met by a save, update(), bulk_create(), bulk_update() and delete()."""
    from tests.factories import make_project

    seen = []

    def rule(write):
        seen.append((write.origin, write.action, len(write.objs)))

    hooks.register(AidProject, before=rule, order=500)
    try:
        with acting_as(None, source="test"):
            project = make_project(program, 1)
            project.name = "改名"
            project.save()
            AidProject.objects.filter(pk=project.pk).update(name="再改名")
            project.refresh_from_db()
            project.name = "三改"
            AidProject.objects.bulk_update([project], ["name"])
            AidProject.objects.bulk_create(
                [AidProject(program=program, code="P002", name="批量", category="education", plan_year=2023)]
            )
            AidProject.objects.filter(pk=project.pk).delete()
    finally:
        hooks._registered[:] = [r for r in hooks._registered if r[4] is not rule]
        hooks._cache.clear()
    assert [(o, a) for o, a, _n in seen] == [
        ("save", "create"),
        ("save", "update"),
        ("update", "update"),
        ("bulk_update", "update"),
        ("bulk_create", "create"),
        ("delete", "delete"),
    ]


def test_the_kernel_imports_django_only_and_no_module_imports_in_a_circle():
    """The import graph of src/ (every import, deferred ones too) has no circle, and kernel/ imports
    nothing of the project outside itself."""
    root = pathlib.Path(__file__).resolve().parents[1] / "src"
    modules = {}
    for path in (root / "yuanjiang").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(root).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path

    def resolve(name):
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name

    graph = {}
    for name, path in modules.items():
        out = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                out |= {resolve(a.name) for a in node.names if a.name.startswith("yuanjiang.")}
            elif (
                isinstance(node, ast.ImportFrom)
                and node.level == 0
                and (node.module or "").startswith("yuanjiang")
            ):
                for a in node.names:
                    full = f"{node.module}.{a.name}"
                    out.add(full if full in modules else resolve(node.module))
        graph[name] = out - {name, "yuanjiang", ""}
    for name, targets in graph.items():
        if name.startswith("yuanjiang.kernel"):
            assert all(t.startswith("yuanjiang.kernel") for t in targets), (name, targets)
    # Depth-first search for a back edge.
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                raise AssertionError("import circle: " + " → ".join([*stack[stack.index(nxt) :], nxt]))
            if nxt in graph and nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)


def _form_fields(html: str) -> dict:
    """The values a browser would post back from a page's form (inputs, selected options, textareas)."""
    from html.parser import HTMLParser

    class Form(HTMLParser):
        def __init__(self):
            super().__init__()
            self.data, self.select, self.textarea = {}, None, None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "file"):
                if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                    return
                self.data[a["name"]] = a.get("value", "")
            elif tag == "select":
                self.select = a.get("name")
            elif tag == "option" and self.select and "selected" in a:
                self.data[self.select] = a.get("value", "")
            elif tag == "textarea":
                self.textarea = a.get("name")
                self.data[self.textarea] = ""

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            elif tag == "textarea":
                self.textarea = None

        def handle_data(self, data):
            if self.textarea:
                self.data[self.textarea] += data

    parser = Form()
    parser.feed(html)
    return parser.data


def test_the_lead_changing_a_plan_year_in_the_web_form_gets_the_figures_named(client, closed):
    program, _photo = closed
    before = figures(program)
    project = AidProject.objects.filter(
        program=program, plan_year=2023, actual_start__range=(FIRST_YEAR.start, FIRST_YEAR.end)
    ).first()
    client.force_login(User.objects.get(username="nt_lead"))
    url = f"/projects/{project.pk}/edit/"
    page = client.get(url)
    assert page.status_code == 200
    data = _form_fields(page.content.decode())
    assert data["plan_year"] == "2023"
    data["plan_year"] = "2025"
    response = client.post(url, data)
    assert response.status_code in (200, 409)
    body = response.content.decode()
    assert "已结账" in body and "援疆项目" in body and "→" in body  # the figures it would have changed
    assert AidProject.objects.get(pk=project.pk).plan_year == 2023
    assert figures(program) == before


def test_the_plan_year_through_an_import_the_admin_and_a_fixture(client, closed, tmp_path):
    """The same write by the other ways people write: an Excel ledger (preview, then commit), the
    Django admin, and `loaddata`."""
    import io
    import json

    import openpyxl

    from tests.test_interop_import_roundtrip import sheet_of
    from yuanjiang.interop import mapping
    from yuanjiang.interop.importing import ImportRefused, commit, preview

    program, _photo = closed
    before = figures(program)
    entries = ObjectChange.objects.count()
    project = AidProject.objects.filter(
        program=program, plan_year=2023, actual_start__range=(FIRST_YEAR.start, FIRST_YEAR.end)
    ).first()

    ledger = mapping.get("projects")
    wb = openpyxl.load_workbook(io.BytesIO(sheet_of(ledger, program)))
    ws = wb.active
    headers = [c.value for c in ws[2]]
    row = next(r for r in ws.iter_rows(min_row=3) if r[headers.index("项目编号")].value == project.code)
    row[headers.index("计划年度")].value = 2025
    buf = io.BytesIO()
    wb.save(buf)
    lead = User.objects.get(username="nt_lead")
    plan = preview(ledger, program, buf.getvalue(), "计划调整.xlsx", lead)
    assert [r.fields for r in plan.rows if r.action == "update"] == [["plan_year"]]
    with pytest.raises(ImportRefused, match="已结账"):
        commit(ledger, program, buf.getvalue(), "计划调整.xlsx", lead, expected=plan.versions)

    client.force_login(User.objects.get(username="admin"))
    url = f"/admin/projects/aidproject/{project.pk}/change/"
    data = _form_fields(client.get(url).content.decode())
    data["plan_year"] = "2025"
    response = client.post(url, data)
    assert response.status_code in (200, 409) and "已结账" in response.content.decode()

    fixture = tmp_path / "plan.json"
    row = AidProject.objects.filter(pk=project.pk).values()[0]
    fields = {k: v for k, v in row.items() if k not in ("id", "program_id")}
    fields.update(program=program.pk, plan_year=2025)
    fixture.write_text(
        json.dumps([{"model": "projects.aidproject", "pk": project.pk, "fields": fields}], default=str),
        encoding="utf-8",
    )
    with pytest.raises(Exception, match="已结账"):
        call_command("loaddata", str(fixture), verbosity=0)

    assert AidProject.objects.get(pk=project.pk).plan_year == 2023
    assert figures(program) == before
    assert ObjectChange.objects.count() == entries


def test_update_by_attname_and_expression_is_hooked_with_the_values_rows_will_hold(db, program):
    from tests.factories import make_project, make_transaction

    seen = {}

    def rule(write):
        seen.update({obj.pk: (obj.project_id, obj.amount) for obj in write.objs})

    a, b = make_project(program, 1), make_project(program, 2)
    txn = make_transaction(a, "disbursement", "100", dt.date(2024, 3, 1))
    hooks.register(FundTransaction, before=rule, order=500)
    try:
        with acting_as(None, source="test"):
            FundTransaction.objects.filter(pk=txn.pk).update(project_id=b.pk, amount=F("amount") * 2)
    finally:
        hooks._registered[:] = [r for r in hooks._registered if r[4] is not rule]
        hooks._cache.clear()
    assert seen == {txn.pk: (b.pk, Decimal("200.00"))}
    (entry,) = history.fill(ObjectChange.objects.filter(object_id=str(txn.pk), action="update"))
    assert entry.after["project_id"] == b.pk and entry.after["amount"] == "200.00"
