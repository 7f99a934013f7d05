"""The header's links come from the apps' `navigation.py` (common.navigation) and the apps' URLs from
their AppConfig `url_prefix` (config/urls.py): what each user sees, in the apps' order."""

import re

import pytest
from django.apps import apps
from django.urls import reverse

from tests.factories import make_user
from yuanjiang.accounts.models import Role
from yuanjiang.common import navigation

pytestmark = pytest.mark.django_db


def _header_links(client, user):
    client.force_login(user)
    page = client.get(reverse("projects:aidproject_list")).content.decode()
    nav = page[page.index("<nav>") : page.index("</nav>")]
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)', nav)


def test_a_clerk_sees_the_domain_links_in_order_and_not_the_logs(client, clerk):
    links = _header_links(client, clerk)
    labels = [label.strip() for _, label in links]
    domain = [
        "援疆项目",
        "产业援疆",
        "智力援疆",
        "教育",
        "医疗援疆",
        "文旅",
        "报送数",
        "目标任务",
        "数字核对",
    ]
    assert [label for label in labels if label in domain] == domain
    assert (reverse("investment:investmentproject_list"), "产业援疆") in links
    assert "变更日志" not in labels and "账号日志" not in labels and "系统管理" not in labels


def test_an_auditor_sees_the_logs_and_staff_the_admin(client, auditor, program):
    labels = [label.strip() for _, label in _header_links(client, auditor)]
    assert labels[-2:] == ["变更日志", "账号日志"]
    staff = make_user("staffer", Role.CLERK, program=program)
    staff.is_staff = True
    staff.save()
    assert [label.strip() for _, label in _header_links(client, staff)][-1] == "系统管理"


def test_the_user_links_are_registered_too(client, clerk):
    client.force_login(clerk)
    page = client.get(reverse("projects:aidproject_list")).content.decode()
    user_area = page[page.index('<div class="user">') :]
    assert f'href="{reverse("password_change")}">修改密码' in user_area
    assert f'href="{reverse("api:tokens")}">接口令牌' in user_area


def test_every_entry_names_a_url_and_every_app_with_urls_declares_its_prefix():
    for item in navigation.registered():
        assert reverse(item.url_name)
    for config in apps.get_app_configs():
        if not config.name.startswith("yuanjiang.") or config.label == "config":
            continue
        try:
            __import__(f"{config.name}.urls")
        except ModuleNotFoundError:
            continue
        assert getattr(config, "url_prefix", None) is not None, config.name


def test_forms_and_deletes_return_by_convention_or_to_a_safe_return_url(client, clerk, program):
    """Cancel of a create form: the model's list; a delete: the parent's page, or a `return_url` on
    this site — never one elsewhere (common.views.ReturnUrlMixin)."""
    from tests.factories import make_project, make_transaction

    client.force_login(clerk)
    create = client.get(reverse("talent:aidworker_create")).content.decode()
    assert f'href="{reverse("talent:aidworker_list")}"' in create  # 取消: the list
    project = make_project(program, 1)
    first = make_transaction(project, "commitment", 1000, review_status="draft")
    assert (
        client.post(reverse("projects:fundtransaction_delete", args=[first.pk]))["Location"]
        == project.get_absolute_url()
    )
    second = make_transaction(project, "commitment", 1000, review_status="draft")
    back = reverse("projects:aidproject_list") + "?program=" + program.slug
    url = reverse("projects:fundtransaction_delete", args=[second.pk])
    assert client.post(url, {"return_url": back})["Location"] == back
    third = make_transaction(project, "commitment", 1000, review_status="draft")
    url = reverse("projects:fundtransaction_delete", args=[third.pk])
    response = client.post(url, {"return_url": "https://evil.example/"})
    assert response["Location"] == project.get_absolute_url()


def test_the_cancel_of_a_delete_goes_back_to_the_record_and_the_delete_to_the_parent(client, clerk, program):
    """Not deleting returns to the record's own page; deleting, to its parent's (its program's) page."""
    from tests.cases.culture import make_event

    event = make_event(program, 1)
    client.force_login(clerk)
    url = reverse("culture:cultureevent_delete", args=[event.pk])
    page = client.get(url).content.decode()
    assert f'href="{event.get_absolute_url()}"' in page  # 取消
    assert client.post(url)["Location"] == program.get_absolute_url()
