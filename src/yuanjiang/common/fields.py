"""Field types shared by every app, so that a rule about money or counts lives in one place."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

# Amounts in 元 with 2 decimals. The limits are set here once for every app.
MONEY_MAX_DIGITS = 16
MONEY_DECIMAL_PLACES = 2


class MoneyField(models.DecimalField):
    """An amount in 元 (Decimal, never float): non-negative, or with `positive=True` above zero."""

    def __init__(self, verbose_name=None, *args, positive=False, **kwargs):
        kwargs.setdefault("max_digits", MONEY_MAX_DIGITS)
        kwargs.setdefault("decimal_places", MONEY_DECIMAL_PLACES)
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
        return name, path, args, kwargs
