import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import make_project


def run(*args):
    out = StringIO()
    call_command("metrics", *args, stdout=out)
    return out.getvalue()


def test_json_output(program):
    make_project(program, 1, actual_start=dt.date(2023, 6, 1), aid_funds="4800000")
    make_project(program, 2)
    payload = json.loads(
        run("--program", program.slug, "--period", "2023-04-01:2024-06-30", "--format", "json")
    )
    assert payload["program"] == program.slug
    assert payload["period"] == {"start": "2023-04-01", "end": "2024-06-30"}
    metrics = payload["metrics"]
    assert metrics["projects.count"] == {"value": 2, "unit": "个", "label": "援疆项目数"}
    assert metrics["projects.started_rate"]["value"] == 50
    assert metrics["projects.aid_funds_planned"] == {"value": 5800000, "unit": "元", "label": "计划援疆资金"}
    assert set(metrics) >= {
        "projects.count",
        "projects.started",
        "projects.started_rate",
        "projects.completed",
        "projects.completed_rate",
        "projects.aid_funds_planned",
        "projects.aid_funds_disbursed",
        "projects.disbursement_rate",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--program", "nope"), "没有标识为“nope”的援疆项目组"),
        (("--program", "nantong-yining-11", "--period", "2024-06-30:2023-04-01"), "不能早于开始日期"),
        (("--program", "nantong-yining-11", "--metric", "projects.nope"), "未知指标"),
    ],
)
def test_bad_arguments(program, args, message):
    with pytest.raises(CommandError) as exc:
        run(*args)
    assert message in str(exc.value)


def test_rollup_over_an_organization(program, other_program):
    make_project(program, 1, actual_start=dt.date(2023, 6, 1))
    make_project(other_program, 1)
    payload = json.loads(run("--org", "jiangsu-yili-front", "--period", "2023", "--format", "json"))
    assert payload["organization"] == "jiangsu-yili-front"
    assert payload["metrics"]["projects.count"]["value"] == 2
    assert payload["metrics"]["projects.started_rate"]["value"] == 50
    text = run("--program", program.slug, "--period", "2023")
    assert "援疆项目数" in text and "1个" in text
