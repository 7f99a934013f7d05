"""What users read on the pages: the demo notice, grouped forms, Chinese dates and figures."""

import datetime as dt

from django.urls import reverse

from tests.factories import make_project
from yuanjiang.org.periods import Period


def test_demo_database_pages_say_the_data_are_illustrative(client, clerk, settings):
    client.force_login(clerk)
    settings.DEMO = True
    assert "示例数据" in client.get(reverse("projects:aidproject_list")).content.decode()
    settings.DEMO = False
    assert "示例数据" not in client.get(reverse("projects:aidproject_list")).content.decode()


def test_project_form_is_grouped_and_names_its_errors(client, clerk, program):
    project = make_project(program, 1)
    client.force_login(clerk)
    url = reverse("projects:aidproject_edit", args=[project.pk])
    page = client.get(url).content.decode()
    assert page.index("基本信息") < page.index("资金") < page.index("里程碑（计划与实际日期）")
    response = client.post(url, {"name": "", "expected_version": 1})
    body = response.content.decode()
    assert "处需要修改" in body and "本次未保存" in body and "这个字段是必填项" in body


def test_program_overview_writes_figures_and_dates_in_chinese(client, clerk, program):
    make_project(program, 1, actual_start=dt.date(2023, 6, 1), aid_funds="4800000")
    make_project(program, 2, aid_funds="2950000")
    client.force_login(clerk)
    page = client.get(reverse("org:program_detail", args=[program.slug]), {"period": "2023-04-01:2024-06-30"})
    body = page.content.decode()
    assert "任期 2023年4月1日至2026年3月31日" in body
    assert "第十一批" in body
    assert "775万元" in body  # 4 800 000 + 2 950 000, exact
    assert "50%" in body
    assert str(Period(dt.date(2023, 4, 1), dt.date(2024, 6, 30))) == "2023年4月1日至2024年6月30日"
