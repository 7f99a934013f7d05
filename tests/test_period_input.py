"""Every period spelling of docs/metrics.md is read the same by the web and the command line; bad
ones get a Chinese message (200 with the form, 400 for JSON, exit status 2 on the command line),
never a 404 or a 500."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from yuanjiang.org import periods
from yuanjiang.org.periods import Period, PeriodError

pytestmark = pytest.mark.django_db
D = dt.date

SPELLINGS = [
    ("2024-01-01:2024-12-31", D(2024, 1, 1), D(2024, 12, 31)),
    ("2024/01/01-2024/12/31", D(2024, 1, 1), D(2024, 12, 31)),
    ("2024-01-01：2024-12-31", D(2024, 1, 1), D(2024, 12, 31)),  # full-width colon (Chinese IME)
    ("2024-01-01－2024-06-30", D(2024, 1, 1), D(2024, 6, 30)),  # full-width dash
    ("2024-01-01—2024-06-30", D(2024, 1, 1), D(2024, 6, 30)),  # em dash
    ("2024-01-01～2024-06-30", D(2024, 1, 1), D(2024, 6, 30)),
    ("2024年1月1日至2024年6月30日", D(2024, 1, 1), D(2024, 6, 30)),
    (" 2023-04-01 : 2024-06-30 ", D(2023, 4, 1), D(2024, 6, 30)),
    ("2024", D(2024, 1, 1), D(2024, 12, 31)),
    ("２０２４", D(2024, 1, 1), D(2024, 12, 31)),
    ("2024年", D(2024, 1, 1), D(2024, 12, 31)),
    ("2024Q2", D(2024, 4, 1), D(2024, 6, 30)),
    ("2024q4", D(2024, 10, 1), D(2024, 12, 31)),
    ("2024年第二季度", D(2024, 4, 1), D(2024, 6, 30)),
    ("2024年二季度", D(2024, 4, 1), D(2024, 6, 30)),
    ("2024-05", D(2024, 5, 1), D(2024, 5, 31)),
    ("2024年5月", D(2024, 5, 1), D(2024, 5, 31)),
    ("2024年上半年", D(2024, 1, 1), D(2024, 6, 30)),
    ("首年", D(2023, 4, 1), D(2024, 3, 31)),
    ("第一年", D(2023, 4, 1), D(2024, 3, 31)),
    ("第二年", D(2024, 4, 1), D(2025, 3, 31)),
    ("第2年", D(2024, 4, 1), D(2025, 3, 31)),
    ("进疆以来", D(2023, 4, 1), None),
]
BAD = [
    "2024-06-30:2023-04-01",  # reversed
    "2024-12-31：2024-01-01",
    "9999",
    "0001",
    "0001-01-01:9999-12-31",
    "2024-13-01:2024-12-31",
    "2024-02-30",
    "2024Q5",
    "2024年第五季度",
    "第九年",  # beyond the term
    "去年",
    "'; drop table x; --",
    "2024" * 40,
    "",
]


def _since(program):
    return periods.since_term_start(program)


@pytest.mark.parametrize(("text", "start", "end"), SPELLINGS)
def test_parser_reads_every_spelling(program, text, start, end):
    period = periods.parse(text, program=program)
    assert period.start == start
    assert period.end == (end or _since(program).end)


@pytest.mark.parametrize(("text", "start", "end"), SPELLINGS)
def test_web_and_cli_accept_every_spelling(client, clerk, program, text, start, end):
    end = end or _since(program).end
    client.force_login(clerk)
    response = client.get(reverse("org:program_detail", args=[program.slug]), {"period": text})
    assert response.status_code == 200
    assert (response.context["period"].start, response.context["period"].end) == (start, end)
    assert not response.context["request"].period_error
    records = reverse("metrics:metric_records", args=["projects.count"])
    response = client.get(records, {"program": program.slug, "period": text})
    assert response.status_code == 200 and response.context["period"].start == start
    data = client.get(reverse("metrics:figures_json"), {"program": program.slug, "period": text}).json()
    assert data["period"]["start"] == start.isoformat() and data["period"]["end"] == end.isoformat()
    out = StringIO()
    call_command("metrics", "--program", program.slug, "--period", text, "--format", "json", stdout=out)
    assert f'"start": "{start.isoformat()}"' in out.getvalue()


@pytest.mark.parametrize("text", [t for t in BAD if t])
def test_bad_periods_get_a_message_never_404_or_500(client, clerk, supervisor, program, text):
    client.force_login(clerk)
    response = client.get(reverse("org:program_detail", args=[program.slug]), {"period": text})
    assert response.status_code == 200
    body = response.content.decode()
    message = response.context["request"].period_error
    assert message and message in body.replace("&quot;", '"').replace("&#x27;", "'")
    assert 'id="period_error"' in body
    assert str(response.context["period"]) == "进疆以来"  # the page still shows figures
    records = reverse("metrics:metric_records", args=["projects.started_rate"])
    assert client.get(records, {"program": program.slug, "period": text}).status_code == 200
    response = client.get(reverse("metrics:figures_json"), {"program": program.slug, "period": text})
    assert response.status_code == 400 and response.json()["error"]
    with pytest.raises(CommandError) as exc:
        call_command("metrics", "--program", program.slug, "--period", text, stdout=StringIO())
    assert exc.value.returncode == 2
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc.value))
    client.force_login(supervisor)
    org = reverse("org:organization_detail", args=["jiangsu-yili-front"])
    response = client.get(org, {"period": text})
    assert response.status_code == 200 and response.context["request"].period_error


def test_program_relative_periods_need_a_program(supervisor, client, program):
    with pytest.raises(PeriodError) as exc:
        periods.parse("第二年")
    assert "须指定援疆项目组" in str(exc.value)
    client.force_login(supervisor)
    response = client.get(
        reverse("org:organization_detail", args=["jiangsu-yili-front"]), {"period": "第二年"}
    )
    assert response.status_code == 200 and "须指定援疆项目组" in response.context["request"].period_error
    # 进疆以来 of an organization: its programs' terms so far.
    response = client.get(
        reverse("org:organization_detail", args=["jiangsu-yili-front"]), {"period": "进疆以来"}
    )
    assert response.context["period"].start == program.term_start


def test_named_ranges():
    assert str(Period.parse("2024-01-01:2024-12-31")) == "2024年"
    assert str(Period.parse("2024-04-01:2024-06-30")) == "2024年第二季度"
    assert str(Period.parse("2024-05-01:2024-05-31")) == "2024年5月"
    assert Period.parse("2024") == Period(D(2024, 1, 1), D(2024, 12, 31), "whatever the label")
