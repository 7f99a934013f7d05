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
    assert "处需要修改" in body and "本次未保存" in body and "请填写项目名称。" in body
    assert "这个字段是必填项" not in body


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


def test_records_behind_a_figure_are_paged_with_the_full_count(client, clerk, program):
    for n in range(1, 106):
        make_project(program, n)
    client.force_login(clerk)
    url = reverse("metrics:metric_records", args=["projects.count"])
    first = client.get(url, {"program": program.slug, "period": "2023"}).content.decode()
    assert "援疆项目数：105个" in first and "共 105 条记录" in first
    assert first.count('href="/projects/') >= 100 and "第1页，共2页" in first
    second = client.get(url, {"program": program.slug, "period": "2023", "page": 2}).content.decode()
    assert "测试项目105" in second and "测试项目105" not in first
    assert "测试项目1<" in first and "测试项目1<" not in second


def test_a_user_without_memberships_is_told_why_the_lists_are_empty(client, db):
    from yuanjiang.accounts.models import User

    user = User.objects.create_user("newcomer", password="x")
    client.force_login(user)
    page = client.get(reverse("home"), follow=True).content.decode()
    assert "尚未被分配到任何援疆项目组" in page


def test_a_bad_period_gets_a_message_on_every_page_that_takes_one(client, clerk, supervisor, program):
    client.force_login(clerk)
    bad = {"period": "2024-06-30:2023-04-01"}
    response = client.get(reverse("org:program_detail", args=[program.slug]), bad)
    assert response.status_code == 200
    assert "不能早于开始日期" in response.content.decode()
    records = reverse("metrics:metric_records", args=["projects.count"])
    response = client.get(records, {"program": program.slug, **bad})
    assert response.status_code == 200 and "不能早于开始日期" in response.content.decode()
    client.force_login(supervisor)
    assert client.get(records, {"org": "jiangsu-yili-front"}).status_code == 200  # 进疆以来 by default
    assert client.get(records, {"org": "jiangsu-yili-front", "period": "2023"}).status_code == 200
