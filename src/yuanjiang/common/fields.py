"""Field types shared by every app, so that a rule about money or counts lives in one place."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

from yuanjiang.common import formatting

# Amounts in 元 with 2 decimals. The limits are set here once for every app.
#
# 15 significant digits: SQLite keeps decimals as 8-byte floating point (REAL), which holds any
# 15-digit decimal exactly (DBL_DIG = 15); a 16th digit is rounded (12345678901234.56 read back as
# …34.60) and Django's read converter then fails on it (a 500 on every page showing the record).
# PostgreSQL stores numeric(15, 2) exactly. The largest amount is 9 999 999 999 999.99 元
# (近10万亿元), far above any aid project; a sum of many such amounts is still read without error.
MONEY_MAX_DIGITS = 15
MONEY_DECIMAL_PLACES = 2
MONEY_MAX = Decimal(10) ** (MONEY_MAX_DIGITS - MONEY_DECIMAL_PLACES) - Decimal(1).scaleb(
    -MONEY_DECIMAL_PLACES
)


def money_error_messages() -> dict[str, str]:
    """Chinese messages for the digit checks of model validation (imports, services, the admin). Forms
    name the field instead (common/messages.py, which reads the same limits)."""
    too_big = f"金额不能超过{MONEY_MAX}元（{formatting.honest(MONEY_MAX, '元')}），请核对单位（元）和位数。"
    return {
        "max_digits": too_big,
        "max_whole_digits": too_big,
        "max_decimal_places": f"金额最多保留{MONEY_DECIMAL_PLACES}位小数（到分）。",
        "invalid": "请输入金额（数字，单位为元）。",
    }


# What a form asks to confirm before saving (common/forms.py): an amount outside its kind's plausible
# range (a 援疆项目's funds of 120 元 are 120 万元 typed in the wrong unit) or changed by a factor ≥ 100.
PLAUSIBLE_DEFAULT = (Decimal("100"), Decimal("10000000000"))  # 100 元 … 100亿元
PLAUSIBLE_PROJECT = (Decimal("10000"), Decimal("100000000000"))  # 1万元 … 1000亿元
SUSPICIOUS_FACTOR = Decimal(100)


class MoneyField(models.DecimalField):
    """An amount in 元 (Decimal, never float): non-negative, or with `positive=True` above zero.

    `plausible` = (lowest, highest) amount in 元 that is plausible for this kind of record; a form
    asks for confirmation before saving a non-zero amount outside it. Not part of the schema."""

    def __init__(self, verbose_name=None, *args, positive=False, plausible=PLAUSIBLE_DEFAULT, **kwargs):
        self.plausible = plausible
        kwargs.setdefault("max_digits", MONEY_MAX_DIGITS)
        kwargs.setdefault("decimal_places", MONEY_DECIMAL_PLACES)
        kwargs["error_messages"] = {**money_error_messages(), **kwargs.get("error_messages", {})}
        self.positive = positive
        validators = list(kwargs.pop("validators", []))
        if positive:
            validators.append(MinValueValidator(Decimal("0.01"), message="金额必须大于0。"))
        else:
            validators.append(MinValueValidator(Decimal("0"), message="金额不能为负数。"))
        kwargs["validators"] = validators
        super().__init__(verbose_name, *args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.positive:
            kwargs["positive"] = True
        kwargs.pop("validators", None)
        kwargs.pop("error_messages", None)
        return name, path, args, kwargs
