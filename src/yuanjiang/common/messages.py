"""Natural Chinese validation messages, written once for every form (docs/architecture.md).

Django's default messages are generic ("确认总共不超过 16 个数字。", "包含 援疆项目组 和 项目编号 的 援疆项目
已经存在。") and never name the field. `natural()` replaces any *default* message — recognised because
Django's defaults are lazy translations while ours are plain strings — by a sentence that names the
field's label and, where it helps, says what to type instead. Messages written by the models and
forms themselves (plain strings: "金额不能为负数。") are kept as they are.

`ScopedModelForm` passes every error of every form through `natural()`, so each app's forms get these
messages without declaring any; tests/test_messages.py walks every form field to check it.
"""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise

from yuanjiang.common import formatting


def is_default(message) -> bool:
    """Django's own messages are lazy translations; the project's messages are plain strings."""
    return isinstance(message, Promise)


def _label(text) -> str:
    """A field label without its unit in brackets: 援疆资金（元） → 援疆资金."""
    return re.sub(r"（[^（）]*）$", "", str(text or "")).strip() or "此项"


def _is_money(form_field, model_field) -> bool:
    from yuanjiang.common.fields import MoneyField

    return isinstance(model_field, MoneyField) or getattr(form_field, "is_money", False)


def _number(value) -> str:
    if isinstance(value, Decimal | float):
        return f"{Decimal(str(value)).normalize():f}"
    return str(value)


def _limit(params: dict, *keys):
    for key in keys:
        if key in params:
            return params[key]
    return None


def _shown(value) -> str:
    if isinstance(value, models.Model):
        return str(value)
    return "" if value is None else str(value)


def message_for(
    code: str | None,
    label: str,
    params: dict | None = None,
    *,
    form_field=None,
    model_field=None,
    instance=None,
) -> str:
    """The natural message for an error `code` of the field labelled `label`."""
    params = params or {}
    name = _label(label)
    money = _is_money(form_field, model_field)
    decimal_places = getattr(form_field, "decimal_places", None) or getattr(
        model_field, "decimal_places", None
    )
    max_digits = getattr(form_field, "max_digits", None) or getattr(model_field, "max_digits", None)
    if code in ("required", "blank", "null"):
        choosing = isinstance(form_field, forms.ChoiceField | forms.ModelChoiceField)
        return f"请{'选择' if choosing else '填写'}{name}。"
    if code in ("invalid", "invalid_date", "invalid_time", "invalid_datetime"):
        if isinstance(form_field, forms.DateField) or isinstance(model_field, models.DateField):
            return f"{name}不是有效的日期，请按“2024-05-20”的格式填写。"
        if isinstance(form_field, forms.DateTimeField) or isinstance(model_field, models.DateTimeField):
            return f"{name}不是有效的时间，请按“2024-05-20 09:30”的格式填写。"
        if money:
            return f"{name}应为金额数字，如 4800000 或 480.5（可选单位“万元”）。"
        # (forms.DecimalField and FloatField are subclasses of forms.IntegerField: test them first)
        if isinstance(form_field, forms.DecimalField | forms.FloatField) or isinstance(
            model_field, models.DecimalField | models.FloatField
        ):
            return f"{name}应为数字，如 120 或 12.5。"
        if isinstance(form_field, forms.IntegerField) or isinstance(model_field, models.IntegerField):
            return f"{name}应为整数，如 120。"
        if isinstance(form_field, forms.EmailField) or isinstance(model_field, models.EmailField):
            return f"{name}不是有效的电子邮箱地址。"
        if isinstance(form_field, forms.URLField) or isinstance(model_field, models.URLField):
            return f"{name}不是有效的网址，应以 http:// 或 https:// 开头。"
        return f"{name}的格式不正确，请检查。"
    if code in ("invalid_choice", "invalid_pk_value", "invalid_list"):
        return f"所选{name}不存在或不在可选范围内，请重新选择。"
    if code in ("max_digits", "max_whole_digits"):
        places = decimal_places or 0
        whole = (max_digits or 0) - places
        if money and whole > 0:
            top = Decimal(10) ** whole - Decimal(1).scaleb(-places)
            return (
                f"{name}超出上限：不能超过{top}元（{formatting.honest(top, '元')}），以元计最多{whole}位整数；"
                "请核对单位（元 / 万元）。"
            )
        if whole > 0:
            return f"{name}过大：最多{whole}位整数。"
        return f"{name}位数过多。"
    if code == "max_decimal_places":
        places = decimal_places or 0
        if money:
            return f"{name}最多保留{places}位小数（元以下精确到分）。"
        if places == 0:
            return f"{name}应为整数。"
        return f"{name}最多保留{places}位小数。"
    if code == "min_value":
        limit = _limit(params, "limit_value")
        if limit is not None and Decimal(str(limit)) == 0:
            return f"{name}不能为负数。"
        return f"{name}不能小于{_number(limit)}。" if limit is not None else f"{name}过小。"
    if code == "max_value":
        limit = _limit(params, "limit_value")
        return f"{name}不能大于{_number(limit)}。" if limit is not None else f"{name}过大。"
    if code == "step_size":
        return f"{name}应为{_number(_limit(params, 'limit_value'))}的整数倍。"
    if code == "max_length":
        limit, shown = _limit(params, "limit_value", "max"), params.get("show_value")
        now = f"，现在有{shown}个字" if shown is not None else ""
        if isinstance(form_field, forms.FileField):
            return f"{name}的文件名过长：最多{limit}个字{now}。"
        return f"{name}最多{limit}个字{now}。"
    if code == "min_length":
        return f"{name}至少{_limit(params, 'limit_value')}个字。"
    if code == "unique":
        concrete = model_field is not None and getattr(model_field, "concrete", False)
        concrete = concrete and not getattr(model_field, "many_to_many", False)
        value = _shown(getattr(instance, model_field.attname, None)) if instance and concrete else ""
        model_name = str(params.get("model_name") or "记录")
        if value:
            return f"已有{name}为“{value}”的{model_name}，请换一个{name}。"
        return f"已有相同{name}的{model_name}，请换一个{name}。"
    if code == "unique_together":
        return _unique_together(params, instance)
    if code in ("invalid_image",):
        return f"{name}不是有效的图片（文件已损坏或不是图片格式）。"
    if code == "missing":
        return f"没有收到{name}文件，请重新选择。"
    if code == "empty":
        return f"{name}文件是空的。"
    if code == "contradiction":
        return f"请只上传新的{name}，或勾选清除，二者选一。"
    if code in ("overflow",):
        return f"{name}超出范围。"
    return f"{name}填写有误，请检查。"


def _unique_together(params: dict, instance) -> str:
    model = params.get("model_class")
    check = params.get("unique_check") or ()
    model_name = str(params.get("model_name") or "记录")
    if model is None or not check:
        return f"已有相同的{model_name}，请检查是否重复填写。"
    opts = model._meta
    parts = []
    for fname in check:
        f = opts.get_field(fname)
        value = _shown(getattr(instance, fname, None)) if instance is not None else ""
        parts.append((_label(f.verbose_name), value))
    *scope, (last_label, last_value) = parts
    where = "、".join(f"{label}“{value}”" if value else label for label, value in scope)
    what = f"{last_label}为“{last_value}”" if last_value else f"相同{last_label}"
    return f"{where}中已有{what}的{model_name}，请换一个{last_label}。"


def natural(error: ValidationError, label: str, *, form_field=None, model_field=None, instance=None):
    """`error` (one message) with a default Django message replaced by the natural one."""
    if not is_default(error.message):
        return error
    params = error.params or {}
    if instance is None:
        instance = params.get("model")
    text = message_for(
        error.code, label, params, form_field=form_field, model_field=model_field, instance=instance
    )
    return ValidationError(text, code=error.code)


def constraint_message(error: ValidationError, model) -> str:
    """A violated check constraint (normally caught by a field's own validators first)."""
    name = str((error.params or {}).get("name", ""))
    verbose = model._meta.verbose_name if model is not None else "记录"
    return f"填写的{verbose}不符合规则“{name}”：请检查金额、数量是否为负数，日期先后是否合理。"
