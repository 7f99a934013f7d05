"""The claims check: the seed article against the demo, perturbed copies, query bounds, CLI."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yuanjiang.claims.models import ClaimCheck
from yuanjiang.claims.services import MATCH, NONE, OVER, PLANNED, REFERENCE, UNCLEAR, UNDER, check_text
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.periods import Period

pytestmark = pytest.mark.django_db

SEED = Path(__file__).parent / "cnnum" / "data" / "seed" / "000_33cfab6a1a367774.txt"
PERIOD = "2023-04-01:2024-06-30"


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def check(demo, text, period=PERIOD, date=None):
    return check_text(text, Scope(program=demo.program), Period.parse(period), date).items


def by_fragment(items):
    return {(it["start"], it["fragment"]): it for it in items}


def test_seed_against_the_demo(demo):
    items = check(demo, seed_text())
    assert len(items) >= 25
    verdicts = [it["verdict"] for it in items]
    assert OVER not in verdicts and UNDER not in verdicts
    matched = [it for it in items if it["metric"]]
    assert len(matched) >= 5
    for it in matched:
        if it["fragment"] == "20个":
            continue
        assert it["verdict"] in (MATCH, PLANNED), it
        if it["verdict"] == PLANNED and it["comparison"]:
            assert it["comparison"] == MATCH
    townships = next(it for it in items if it["fragment"] == "20个")
    assert townships["verdict"] == REFERENCE
    assert "20个" in townships["note"] and "18个" in townships["note"]
    assert townships["metric"] == "health.free_clinic_townships"
    beneficiaries = next(it for it in items if it["fragment"] == "2500余人次")
    assert beneficiaries["verdict"] == MATCH
    assert beneficiaries["record_value"] == 2536
    assert beneficiaries["record_exact"] == "2536人次"
    assert beneficiaries["records_url"].startswith("/metrics/health.free_clinic_beneficiaries/?program=")
    projects = [it for it in items if it["fragment"] == "15个"]
    assert [it["verdict"] for it in projects] == [MATCH, MATCH]
    rate = next(it for it in items if it["fragment"] == "100%")
    assert (rate["metric"], rate["verdict"]) == ("projects.started_rate", MATCH)
    # planned / expected / capacity claims are never judged against actuals
    for frag in ("2亿元", "近200人", "3000名", "超3亿元"):
        assert next(it for it in items if it["fragment"] == frag)["verdict"] == PLANNED
    # a figure about one named thing (…的…) is not matched to a total
    assert next(it for it in items if it["fragment"] == "超30亿元")["metric"] is None
    # a sub-category (产业援疆项目) is shown with the candidate, never judged
    landed = next(it for it in items if it["fragment"] == "10个")
    if landed["verdict"] == MATCH:  # once the investment app declares 产业援疆项目
        assert landed["metric"] == "investment.projects_landed"
    else:
        assert landed["verdict"] in (UNCLEAR, NONE)
    # a bare spending figure (投入近300万元) is named by its purpose (改造…基础设施): the park upgrade's aid funds
    upgrade = next(it for it in items if it["fragment"] == "近300万元")
    assert (upgrade["metric"], upgrade["verdict"], upgrade["record_exact"]) == (
        "investment.park_upgrade_funds",
        MATCH,
        "295万元",
    )
    # the claim's period follows its sentence's cue
    events = next(it for it in items if it["fragment"] == "13次")
    assert events["period"]["cue"] == "进疆以来"


PERTURBATIONS = [
    # (original, changed, fragment after the change, expected verdict)
    ("受益群众2500余人次", "受益群众3500余人次", "3500余人次", OVER),
    ("受益群众2500余人次", "受益群众1500余人次", "1500余人次", UNDER),
    ("15个援疆项目实现100%开工", "18个援疆项目实现100%开工", "18个", OVER),
    ("15个援疆项目全部开工", "12个援疆项目全部开工", "12个", UNDER),
    ("实现100%开工", "实现90%开工", "90%", UNDER),
    ("受益群众2500余人次", "受益群众近2600人次", "近2600人次", MATCH),
    ("受益群众2500余人次", "受益群众超2000人次", "超2000人次", MATCH),
    ("受益群众2500余人次", "受益群众约3000人次", "约3000人次", OVER),
    ("投入近300万元改造", "投入近400万元改造", "近400万元", OVER),
    ("投入近300万元改造", "投入近200万元改造", "近200万元", UNDER),
]


def test_perturbed_copies_are_flagged_on_exactly_the_changed_claim(demo):
    text = seed_text()
    base = check(demo, text)
    for old, new, fragment, verdict in PERTURBATIONS:
        assert_only_changed(demo, text, base, old, new, fragment, verdict)


def assert_only_changed(demo, text, base, old, new, fragment, verdict):
    assert old in text
    at = text.index(old)
    changed = check(demo, text.replace(old, new, 1))
    assert len(changed) == len(base)
    shift = len(new) - len(old)
    hits = 0
    for b, c in zip(base, changed, strict=True):
        if c["fragment"] == fragment and c["start"] >= at and c["start"] < at + len(new):
            assert c["verdict"] == verdict, c
            hits += 1
        else:
            assert (c["fragment"], c["verdict"], c["metric"]) == (b["fragment"], b["verdict"], b["metric"])
            assert c["start"] in (b["start"], b["start"] + shift)
    assert hits == 1


def test_several_perturbations_at_once(demo):
    text = seed_text()
    for old, new in [
        ("受益群众2500余人次", "受益群众4000余人次"),
        ("15个援疆项目全部开工", "20个援疆项目全部开工"),
    ]:
        text = text.replace(old, new, 1)
    items = check(demo, text)
    flagged = [(it["fragment"], it["verdict"]) for it in items if it["verdict"] in (OVER, UNDER)]
    assert flagged == [("20个", OVER), ("4000余人次", OVER)]


def test_queries_are_bounded_by_distinct_metrics_not_claims(demo):
    def text_of(n):
        return "\n".join(
            f"材料A{i}：义诊受益群众2500余人次，15个援疆项目全部开工，开工率100%。" for i in range(n)
        )

    # The names of other bodies are read once per program and process (claims.subjects): warm them.
    check_text(text_of(1), Scope(program=demo.program), Period.parse(PERIOD))
    counts = []
    for n in (3, 60):
        with CaptureQueriesContext(connection) as ctx:
            result = check_text(text_of(n), Scope(program=demo.program), Period.parse(PERIOD))
        assert len(result.items) == 3 * n
        assert {it["verdict"] for it in result.items} == {MATCH}
        # one aggregate per distinct metric (a rate's parts included), never per claim
        assert result.metrics_needed == 3
        assert len(ctx.captured_queries) <= result.queries_needed + 2
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_text_date_resolves_relative_cues(demo):
    text = "去年8月以来，义诊受益群众2500余人次。今年，15个援疆项目全部开工。"
    import datetime as dt

    items = check(demo, text, date=dt.date(2024, 6, 21))
    assert items[0]["period"]["start"] == "2023-08-01" and items[0]["period"]["end"] == "2024-06-21"
    assert items[1]["period"]["start"] == "2024-01-01"


def run_cli(*args):
    out = StringIO()
    call_command("claims", "check", *args, stdout=out)
    return out.getvalue()


def test_cli_json_and_html(demo, tmp_path):
    payload = json.loads(run_cli(str(SEED), "--program", "nantong-yining-11", "--period", PERIOD))
    first = payload[0]
    for key in (
        "fragment",
        "start",
        "end",
        "value",
        "unit",
        "qualifier",
        "modality",
        "metric",
        "period",
        "record_value",
        "record_display",
        "verdict",
    ):
        assert key in first
    assert first["period"]["start"] == "2023-04-01"
    html = run_cli(str(SEED), "--program", "nantong-yining-11", "--period", PERIOD, "--format", "html")
    assert "v-reference" in html and "与参考数据不符" in html and "<!doctype html>" in html
    roll = json.loads(run_cli(str(SEED), "--org", "jiangsu-yili-front", "--period", PERIOD))
    assert len(roll) == len(payload)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.txt", "为空"),
        (b"   \n", "blank.txt", "为空"),
        ("受益群众2500余人次".encode("gbk"), "gbk.txt", "不是 UTF-8"),
        (b"not a zip at all", "fake.docx", "不是 zip 格式"),
        ("没有任何数字的文本。".encode(), "nonum.txt", "没有数字"),
        (("受益群众2500余人次。" * 30000).encode(), "huge.txt", "过长"),
    ],
)
def test_cli_bad_input(program, tmp_path, content, name, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as exc:
        run_cli(str(path), "--program", "nantong-yining-11")
    assert message in str(exc.value)
    assert ClaimCheck.objects.count() == 0


def test_cli_oversized_file_is_refused_before_reading(program, tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"1" * (4 * 1024 * 1024 + 1))
    with pytest.raises(CommandError, match="文件过大"):
        run_cli(str(path), "--program", "nantong-yining-11")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--program", "nope"), "没有标识为“nope”"),
        (("--org", "nope", "--period", PERIOD), "没有标识为“nope”的组织机构"),
        (("--org", "jiangsu-yili-front"), "须指定 --period"),
        (("--program", "nantong-yining-11", "--date", "2024-13-01"), "无法识别的日期"),
        (("--program", "nantong-yining-11", "--period", "2024-06-30:2023-01-01"), "不能早于"),
    ],
)
def test_cli_bad_arguments(program, args, message):
    with pytest.raises(CommandError) as exc:
        run_cli(str(SEED), *args)
    assert message in str(exc.value)
