"""The REST API (yuanjiang.api): the scoping matrix over every endpoint the router serves, read-only
tokens, versions (ETag / If-Match), closed periods and the error shape, tokens in the account log,
and list query counts at two sizes."""

import datetime as dt
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.factories import make_project
from tests.kit import all_cases, all_shared_cases, count_queries
from yuanjiang.accounts.models import AccountEvent
from yuanjiang.api import registry
from yuanjiang.api.models import ApiToken, digest
from yuanjiang.api.serializers import serializer_for
from yuanjiang.core.context import acting_as
from yuanjiang.core.models import ObjectChange
from yuanjiang.org.periods import Period
from yuanjiang.projects.models import AidProject, FundTransaction
from yuanjiang.review import services as review_services

ENDPOINTS = registry.endpoints()
IDS = [e.prefix for e in ENDPOINTS]


def api(user, *, read_only=False) -> Client:
    _token, raw = ApiToken.issue(user, "测试", read_only=read_only)
    return Client(HTTP_AUTHORIZATION=f"Token {raw}")


def url(endpoint, pk=None) -> str:
    base = f"/api/v1/{endpoint.prefix}/"
    return f"{base}{pk}/" if pk is not None else base


def _cases_by_model(program):
    """The test kit's builders, by the model each builds (every endpoint must have one)."""
    out = {}
    for n, case in enumerate(all_cases(), start=900):
        obj = case.make(program, n)
        out.setdefault(type(obj), obj)
    return out


def _body(endpoint, obj) -> dict:
    """A full write body for obj's model, from its own serialized values."""
    data = dict(serializer_for(endpoint.model)(obj).data)
    for name in (
        "id",
        "version",
        "created_at",
        "updated_at",
        "review_status",
        "reviewed_by",
        "reviewed_at",
        "review_note",
    ):
        data.pop(name, None)
    return data


def test_every_scoped_endpoint_has_a_kit_case(program):
    built = _cases_by_model(program)
    missing = [e.prefix for e in ENDPOINTS if not getattr(e.model, "shared", False) and e.model not in built]
    assert not missing, f"endpoints without a test-kit case (tests/cases): {missing}"
    assert len(ENDPOINTS) >= 20


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_other_programs_clerk_reads_and_writes_nothing(endpoint, program, other_clerk, clerk):
    """nj_clerk's token against a 南通 record: absent from the list, 404 on read, update and delete,
    and a create naming 南通's parent is refused; nothing is written."""
    if getattr(endpoint.model, "shared", False):
        pytest.skip(
            "shared reference records belong to no program: every user reads them, editors change them, as on the web"
        )
    obj = _cases_by_model(program)[endpoint.model]
    client = api(other_clerk)
    before = ObjectChange.objects.count()
    listed = client.get(url(endpoint), {"page_size": 500})
    assert listed.status_code == 200, listed.content
    assert obj.pk not in [row["id"] for row in listed.json()["results"]]
    assert client.get(url(endpoint, obj.pk)).status_code == 404
    body = _body(endpoint, obj)
    headers = {"HTTP_IF_MATCH": f'"{obj.version}"'}
    for method in (client.put, client.patch):
        r = method(url(endpoint, obj.pk), json.dumps(body), content_type="application/json", **headers)
        assert r.status_code == 404, r.content
    assert client.delete(url(endpoint, obj.pk), **headers).status_code == 404
    created = client.post(url(endpoint), json.dumps(body), content_type="application/json")
    assert created.status_code == 400, created.content
    assert {"field", "code", "message"} <= set(created.json()["errors"][0])
    # refused because the parent it names (南通's program, project, school …) is not nj_clerk's to change
    parents = {f.name for f in endpoint.model._meta.fields if f.is_relation}
    assert parents & {e["field"] for e in created.json()["errors"]}, created.json()
    assert ObjectChange.objects.count() == before
    assert endpoint.model.objects.filter(pk=obj.pk).exists()
    # the record's own clerk sees it
    assert api(clerk).get(url(endpoint, obj.pk)).status_code == 200


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_read_only_token_cannot_write(endpoint, program, clerk):
    if getattr(endpoint.model, "shared", False):
        obj = _maker(endpoint.model, program)(900)
    else:
        obj = _cases_by_model(program)[endpoint.model]
    client = api(clerk, read_only=True)
    before = ObjectChange.objects.count()
    assert client.get(url(endpoint, obj.pk)).status_code == 200
    body = _body(endpoint, obj)
    headers = {"HTTP_IF_MATCH": f'"{obj.version}"'}
    r = client.post(url(endpoint), json.dumps(body), content_type="application/json")
    assert r.status_code == 403
    assert r.json()["errors"][0]["message"].startswith("这是只读令牌")
    assert (
        client.patch(
            url(endpoint, obj.pk), json.dumps(body), content_type="application/json", **headers
        ).status_code
        == 403
    )
    assert client.delete(url(endpoint, obj.pk), **headers).status_code == 403
    assert ObjectChange.objects.count() == before


@pytest.mark.parametrize("role", ["auditor", "supervisor"])
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_readers_cannot_write(request, endpoint, program, role):
    """An auditor's or a supervisor's token (read-write tokens: the role is what forbids) reads the
    program's records and writes none: POST 403 (or 400: no program to write to), PATCH/PUT/DELETE 404."""
    user = request.getfixturevalue(role)
    obj = _maker(endpoint.model, program)(900)
    client = api(user)
    before = ObjectChange.objects.count()
    assert client.get(url(endpoint, obj.pk)).status_code == 200
    body = _body(endpoint, obj)
    headers = {"HTTP_IF_MATCH": f'"{obj.version}"'}
    assert client.post(url(endpoint), json.dumps(body), content_type="application/json").status_code in (
        400,
        403,
    )
    for method in (client.put, client.patch):
        r = method(url(endpoint, obj.pk), json.dumps(body), content_type="application/json", **headers)
        assert r.status_code in (403, 404), r.content
    assert client.delete(url(endpoint, obj.pk), **headers).status_code in (403, 404)
    assert ObjectChange.objects.count() == before
    assert endpoint.model.objects.filter(pk=obj.pk, version=obj.version).exists()


def test_create_update_delete_with_versions(program, clerk):
    client = api(clerk)
    projects = "/api/v1/projects/aidproject/"
    template = make_project(program, 1)
    body = _body(next(e for e in ENDPOINTS if e.model is AidProject), template)
    body.update(code="API-1", name="接口新建项目")
    r = client.post(projects, json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r["ETag"] == '"1"'
    change = (
        ObjectChange.objects.filter(
            content_type=ContentType.objects.get_for_model(AidProject), object_id=str(pk)
        )
        .select_related("changeset")
        .get()
    )
    assert change.changeset.actor_name == "clerk" and change.changeset.source == "api"
    # no If-Match: 428; a stale one: 412; the current one: saved, version 2
    patch = json.dumps({"name": "接口改名"})
    assert client.patch(f"{projects}{pk}/", patch, content_type="application/json").status_code == 428
    stale = client.patch(f"{projects}{pk}/", patch, content_type="application/json", HTTP_IF_MATCH='"7"')
    assert stale.status_code == 412
    assert stale.json()["errors"][0]["code"] == "stale_version"
    ok = client.patch(f"{projects}{pk}/", patch, content_type="application/json", HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200, ok.content
    assert ok["ETag"] == '"2"' and AidProject.objects.get(pk=pk).name == "接口改名"
    # the model's rules, in Chinese, by field: aid funds above the total investment
    bad = client.patch(
        f"{projects}{pk}/",
        json.dumps({"aid_funds": "999999999.00", "total_investment": "1.00"}),
        content_type="application/json",
        HTTP_IF_MATCH='"2"',
    )
    assert bad.status_code == 400
    errors = bad.json()["errors"]
    assert all({"field", "code", "message"} == set(e) for e in errors)
    assert any("援疆资金" in e["message"] for e in errors)
    assert AidProject.objects.get(pk=pk).version == 2
    assert client.delete(f"{projects}{pk}/", HTTP_IF_MATCH='"1"').status_code == 412
    assert client.delete(f"{projects}{pk}/", HTTP_IF_MATCH='"2"').status_code == 204
    assert not AidProject.objects.filter(pk=pk).exists()


def test_closed_period_refuses_api_writes(program, clerk, lead_and_admin):
    lead, _admin = lead_and_admin
    project = make_project(program, 1)
    client = api(clerk)
    txs = "/api/v1/projects/fundtransaction/"
    review_services.close_period(program, Period(dt.date(2023, 4, 1), dt.date(2024, 3, 31), "首年"), lead)
    body = {"project": project.pk, "kind": "disbursement", "date": "2023-06-01", "amount": "10.00"}
    r = client.post(txs, json.dumps(body), content_type="application/json")
    assert r.status_code in (400, 409), r.content
    assert any("结账" in e["message"] for e in r.json()["errors"])
    assert not FundTransaction.objects.exists()
    body["date"] = "2024-06-01"
    assert client.post(txs, json.dumps(body), content_type="application/json").status_code == 201


def test_tokens_hashed_logged_revocable(clerk):
    token, raw = ApiToken.issue(clerk, "省平台")
    assert token.key_digest == digest(raw) and raw not in (token.prefix, token.key_digest)
    client = Client(HTTP_AUTHORIZATION=f"Token {raw}")
    assert client.get("/api/v1/projects/aidproject/").status_code == 200
    used = AccountEvent.objects.filter(kind=AccountEvent.Kind.API_TOKEN_USED, target=clerk)
    assert used.count() == 1 and "省平台" in used.get().detail
    token.revoke()
    r = client.get("/api/v1/projects/aidproject/")
    assert r.status_code == 401
    assert r.json()["errors"][0]["message"] == "令牌无效或已撤销。"
    assert Client().get("/api/v1/projects/aidproject/").status_code in (401, 403)


def test_token_page_shows_a_token_once(clerk):
    web = Client()
    web.force_login(clerk)
    r = web.post(reverse("api:tokens"), {"name": "统计局对接", "read_only": "1"})
    token = ApiToken.objects.get(user=clerk)
    assert token.read_only and token.prefix in r.content.decode()
    raw = r.content.decode().split('<code id="new-token">')[1].split("<")[0]
    assert digest(raw) == token.key_digest
    assert raw not in web.get(reverse("api:tokens")).content.decode()
    assert AccountEvent.objects.filter(kind=AccountEvent.Kind.API_TOKEN_CREATED, target=clerk).exists()
    web.post(reverse("api:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AccountEvent.objects.filter(kind=AccountEvent.Kind.API_TOKEN_REVOKED, target=clerk).exists()


class _Probe(Exception):
    pass


def _owned_by(obj, program):
    """A shared record with an owner belongs to `program` (issue 21): its clerks edit it, a
    supervisor does not (an ownerless one is reference data a supervisor keeps, as on the web)."""
    if any(f.name == "owner" for f in obj._meta.concrete_fields):
        with acting_as(None, source="test"):
            type(obj).objects.filter(pk=obj.pk).update(owner=program)
        obj.refresh_from_db()
    return obj


def _maker(model, program):
    """The kit's builder of `model` records (each case tried in a rolled-back savepoint)."""
    for case in all_shared_cases():
        try:
            with transaction.atomic():
                built = type(case.make(7777))
                raise _Probe
        except _Probe:
            pass
        if built is model:
            return lambda n, case=case: _owned_by(case.make(n), program)
    for case in all_cases():
        try:
            with transaction.atomic():
                built = type(case.make(program, 7777))
                raise _Probe
        except _Probe:
            pass
        if built is model:
            return lambda n, case=case: case.make(program, n)
    raise AssertionError(f"no test-kit case builds {model.__name__}")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_list_queries_fixed(endpoint, program, clerk, admin_user_token):
    """A list page runs the same number of queries at two sizes."""
    make = _maker(endpoint.model, program)
    client = admin_user_token

    def run():
        r = client.get(url(endpoint))
        assert r.status_code == 200

    for n in range(2):
        make(10 + n)
    small = count_queries(run)
    for n in range(8):
        make(20 + n)
    assert count_queries(run) == small


@pytest.fixture
def lead_and_admin(program):
    from tests.factories import make_user
    from yuanjiang.accounts.models import Role

    return make_user("lead", Role.LEAD, program=program), make_user(
        "root", Role.ADMIN, program=program, superuser=True
    )


@pytest.fixture
def admin_user_token(lead_and_admin):
    return api(lead_and_admin[1])


def test_schema_and_docs_page(clerk):
    web = Client()
    web.force_login(clerk)
    schema = web.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    doc = json.loads(schema.content)
    assert doc["openapi"].startswith("3.")
    for endpoint in ENDPOINTS:
        assert f"/api/v1/{endpoint.prefix}/" in doc["paths"]
        assert f"/api/v1/{endpoint.prefix}/{{id}}/" in doc["paths"]
    # every field described in Chinese and English
    project = doc["components"]["schemas"]["AidProject"]["properties"]
    assert "援疆资金" in project["aid_funds"]["description"]
    assert "aid funds" in project["aid_funds"]["description"]
    assert all(p.get("description") for p in project.values())
    page = web.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()


def test_figures_records_report_opendata_claims(program, clerk, other_clerk):
    for n in range(3):
        make_project(program, n, actual_start=dt.date(2023, 6, 1))
    client = api(clerk)
    r = client.get("/api/v1/metrics/", {"program": program.slug, "period": "2023-04-01~2024-03-31"})
    assert r.status_code == 200, r.content
    metrics = {m["code"]: m for m in r.json()["metrics"]}
    count = metrics["projects.count"]
    assert count["value"] == 3 and count["unit"] and count["period_rule"] and count["display"]
    records = client.get(count["records_url"])
    assert records.status_code == 200
    assert len(records.json()["results"]) == 3
    assert records.json()["endpoint"] == "/api/v1/projects/aidproject/"
    bad = client.get("/api/v1/metrics/", {"program": program.slug, "period": "明年"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "period"
    # nj_clerk cannot read 南通's figures
    assert api(other_clerk).get("/api/v1/metrics/", {"program": program.slug}).status_code == 404
    card = client.get(f"/api/v1/report-cards/program/{program.slug}/")
    assert card.status_code == 200 and card.json()["sections"]
    data = client.get(f"/api/v1/opendata/program/{program.slug}/figures.json")
    rows = data.json()["figures"]
    assert rows and all(row["period_rule"] for row in rows)
    csv_text = client.get(f"/api/v1/opendata/program/{program.slug}/figures.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("节,句,指标代码")
    assert len(csv_text.splitlines()) == len(rows) + 2
    check = client.post(
        "/api/v1/claims/check/",
        json.dumps({"text": "2023年实施援疆项目3个。", "program": program.slug}),
        content_type="application/json",
    )
    assert check.status_code == 200, check.content
    assert "items" in check.json()
    empty = client.post("/api/v1/claims/check/", json.dumps({"text": ""}), content_type="application/json")
    assert empty.status_code == 400 and empty.json()["errors"][0]["field"] == "text"


def test_figure_routes_shadow_no_record_route():
    """Every record endpoint resolves to its viewset (a figures route such as the report card's must
    not capture /api/v1/<app>/<model>/<id>/)."""
    from django.urls import resolve

    for endpoint in ENDPOINTS:
        for path in (url(endpoint), url(endpoint, 1)):
            match = resolve(path)
            assert getattr(match.func, "cls", None) is not None, path
            assert match.func.cls.model is endpoint.model, path


def test_warnings_over_the_api_are_the_clis_and_scoped(demo):
    """/api/v1/warnings/ gives what `./yj warnings --format json` prints, for what the token's user may see."""
    from yuanjiang.accounts.models import User

    lead = User.objects.get(username="nt_lead")
    r = api(lead).get("/api/v1/warnings/", {"program": "nantong-yining-11", "date": "2024-09-01"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["program"] == "nantong-yining-11" and body["date"] == "2024-09-01"
    late = [w for w in body["warnings"] if any(rec.get("code") == "NTYN-2023-01" for rec in w["records"])]
    assert late and {"code", "severity", "label", "program", "records", "since"} <= set(late[0])
    # another work group's clerk sees no warning of 南通, by program or by the province's roll-up
    other = api(User.objects.get(username="nj_clerk"))
    assert other.get("/api/v1/warnings/", {"program": "nantong-yining-11"}).status_code == 404
    r = other.get("/api/v1/warnings/", {"org": "jiangsu"})
    assert r.status_code in (200, 404)
    if r.status_code == 200:
        assert all(w["program"] != "nantong-yining-11" for w in r.json()["warnings"]), r.json()
    bad = api(lead).get("/api/v1/warnings/", {"program": "nantong-yining-11", "date": "2024-13-01"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "date"
