"""Natural Chinese messages for every validation a form can raise (common/messages.py).

The walk below finds every ScopedModelForm subclass of every installed app — forms added by other
apps are covered without editing this file — and, for every field and every error code the field,
its validators or its model field can raise, pushes Django's default message through the form's own
error pipeline: what comes out must be our own sentence naming the field, never Django's default.
"""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.forms.utils import ErrorDict
from django.urls import reverse
from django.utils.functional import Promise

from tests.factories import make_project, make_user
from tests.test_changelog import form_data
from yuanjiang.accounts.models import Role
from yuanjiang.common.forms import ScopedModelForm, money_in_yuan
from yuanjiang.common.messages import _label
from yuanjiang.org.models import Organization
from yuanjiang.projects.models import AidProject, ProjectOutput

pytestmark = pytest.mark.django_db

# Django's defaults as they read in zh-hans: none may reach a user.
DJANGO_DEFAULTS = (
    "这个字段是必填项",
    "确认总共不超过",
    "确认小数不超过",
    "确认小数点前不超过",
    "已经存在",
    "已存在",
    "确保该值",
    "请输入一个数字",
    "输入一个有效的",
    "选择一个有效的选项",
    "输入一个整数",
    "上传一个有效的图片",
    "Constraint",
)
SAMPLE_PARAMS = {"limit_value": 0, "show_value": 999, "value": "x", "max": 2, "name": "c"}


def form_classes():
    for config in apps.get_app_configs():
        if config.name.startswith("yuanjiang."):
            try:
                importlib.import_module(f"{config.name}.forms")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.forms":
                    raise
    found, todo = [], list(ScopedModelForm.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if getattr(cls._meta, "model", None) is not None:
            found.append(cls)
    return sorted(set(found), key=lambda c: c.__qualname__)


def _model_field(model, name):
    try:
        return model._meta.get_field(name)
    except Exception:
        return None


def _codes(form_field, model_field):
    """Every (code, message, params) the field can raise with a message of Django's."""
    found = {}
    for code, message in form_field.error_messages.items():
        found.setdefault(code, message)
    for validator in list(form_field.validators) + list(getattr(model_field, "validators", [])):
        for code, message in (getattr(validator, "messages", None) or {}).items():
            found.setdefault(code, message)
        if getattr(validator, "code", None):
            found.setdefault(validator.code, getattr(validator, "message", ""))
    for code, message in (getattr(model_field, "error_messages", None) or {}).items():
        found.setdefault(code, message)
    return found


def _through_the_form(form, name, error):
    form._errors = ErrorDict({name: form.error_class([error])})
    form.cleaned_data = {}
    form.naturalize_errors()
    return [(key, e) for key, errors in form._errors.items() for e in errors.as_data()]


def _assert_natural(message, label, where):
    assert not isinstance(message, Promise), f"{where}: Django's default message kept: {message}"
    text = str(message)
    for default in DJANGO_DEFAULTS:
        assert default not in text, f"{where}: {text}"
    assert label in text, f"{where}: the message does not name the field: {text}"


@pytest.fixture
def admin_user(program):
    return make_user(
        "root", Role.ADMIN, organization=Organization.objects.get(slug="jiangsu"), superuser=True
    )


def test_every_form_field_gets_natural_messages(admin_user, program):
    classes = form_classes()
    assert {c.__name__ for c in classes} >= {"AidProjectForm", "FundTransactionForm", "ProjectOutputForm"}
    checked = 0
    for cls in classes:
        model = cls._meta.model
        try:
            form = cls(user=admin_user)
        except TypeError:  # a form that needs its record (a child form): give it a new one
            form = cls(user=admin_user, instance=model())
        for name, field in form.fields.items():
            if name == "expected_version":
                continue
            model_field = _model_field(model, name)
            label = _label(field.label)
            for code, message in _codes(field, model_field).items():
                if not isinstance(message, Promise):
                    continue  # the project's own message, already in Chinese and specific
                error = ValidationError(message, code=code, params=dict(SAMPLE_PARAMS))
                for _key, out in _through_the_form(form, name, error):
                    _assert_natural(out.message, label, f"{cls.__name__}.{name} [{code}]")
                    checked += 1
        # Uniqueness of several fields (unique_together / UniqueConstraint): on the last field.
        instance = model()
        for check in _unique_checks(model):
            error = instance.unique_error_message(model, check)
            for key, out in _through_the_form(form, NON_FIELD_ERRORS, error):
                label = _label(model._meta.get_field(check[-1]).verbose_name)
                _assert_natural(out.message, label, f"{cls.__name__} unique {check}")
                if check[-1] in form.fields:
                    assert key == check[-1]
                checked += 1
    assert checked > 50


def _unique_checks(model):
    checks = [tuple(t) for t in model._meta.unique_together]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            checks.append(tuple(constraint.fields))
    return checks


def test_duplicate_code_is_named_on_its_field(client, clerk, program):
    make_project(program, 1)
    other = make_project(program, 2)
    client.force_login(clerk)
    response = client.post(
        reverse("projects:aidproject_edit", args=[other.pk]), form_data(other, code="P001")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["code"] == [f"援疆项目组“{program}”中已有项目编号为“P001”的援疆项目，请换一个项目编号。"]
    assert NON_FIELD_ERRORS not in errors
    assert "已经存在" not in response.content.decode()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "1" * 20,
            "援疆资金超出上限：不能超过9999999999999.99元（近10万亿元），以元计最多13位整数；请核对单位（元 / 万元）。",
        ),
        ("12.345", "援疆资金最多保留2位小数（元以下精确到分）。"),
        ("一百万", "援疆资金应为金额数字，如 4800000 或 480.5（可选单位“万元”）。"),
        ("-5", "金额不能为负数。"),
    ],
)
def test_money_messages(client, clerk, program, value, expected):
    project = make_project(program, 1)
    client.force_login(clerk)
    response = client.post(
        reverse("projects:aidproject_edit", args=[project.pk]), form_data(project, aid_funds=value)
    )
    assert response.context["form"].errors["aid_funds"] == [expected]
    body = response.content.decode()
    assert not any(d in body for d in DJANGO_DEFAULTS)
    project.refresh_from_db()
    assert project.version == 1


def test_output_quantity_says_quantity_not_money(client, clerk, program):
    project = make_project(program, 1)
    client.force_login(clerk)
    url = reverse("projects:projectoutput_create", args=[project.pk])
    response = client.post(url, {"name": "学位", "quantity": "-3", "unit": "个"})
    assert response.context["form"].errors["quantity"] == ["数量不能为负数。"]
    response = client.post(url, {"name": "学位", "quantity": "9" * 30, "unit": "个"})
    assert response.context["form"].errors["quantity"] == ["数量过大：最多12位整数。"]
    response = client.post(url, {"name": "", "quantity": "", "unit": "个" * 50})
    errors = response.context["form"].errors
    assert errors["name"] == ["请填写产出指标。"] and errors["quantity"] == ["请填写数量。"]
    assert errors["unit"] == ["单位最多20个字，现在有50个字。"]
    assert not ProjectOutput.objects.exists()


def test_money_typed_in_wan_yuan(client, clerk, program):
    project = make_project(program, 1)
    client.force_login(clerk)
    url = reverse("projects:aidproject_edit", args=[project.pk])
    page = client.get(url).content.decode()
    assert 'name="aid_funds_unit"' in page and "万元" in page
    # (援疆资金 + 其他资金 may not exceed 总投资: the plausibility rule of common/models.py)
    response = client.post(
        url, {**form_data(project, aid_funds="480", total_investment="5000000"), "aid_funds_unit": "万元"}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.aid_funds == Decimal("4800000")
    response = client.post(url, form_data(project, aid_funds="295万", total_investment="3,000,000"))
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.aid_funds, project.total_investment) == (Decimal("2950000"), Decimal("3000000"))


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        ("480", "万元", "4800000"),
        ("480.5", "万元", "4805000"),
        ("480万元", "元", "4800000"),
        ("１２３", "元", "123"),
        ("1,234.50元", "元", "1234.50"),
        ("1e9", "元", "1e9"),  # not a plain number: left for the field to refuse
        ("abc", "万元", "abc"),
    ],
)
def test_money_in_yuan(raw, unit, expected):
    assert money_in_yuan(raw, unit) == expected


def test_aidproject_form_label_has_no_unit(admin_user):
    from yuanjiang.projects.forms import AidProjectForm

    form = AidProjectForm(user=admin_user)
    assert form.fields["aid_funds"].label == "援疆资金"
    assert AidProject._meta.get_field("aid_funds").verbose_name == "援疆资金（元）"
