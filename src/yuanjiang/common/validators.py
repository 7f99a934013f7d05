"""The date and place rules every record type shares, with one message each.

- `AID_START`: 对口援疆 began in 1997; a date before it is a typing mistake (year 1, 0202 …), not a
  record of the aid work. The one earliest date of every app.
- `check_past_dates`: a recorded fact's date (活动日期, 实际开工日期, 签订日期 …) lies between
  `AID_START` and today. `check_not_before_start` is the lower bound alone, for planned dates.
- `check_township`: the township chosen lies in the recipient county of the record's program.

They are `clean()` helpers, not field `validators=`: the message names the field (its verbose name),
today is read when the record is checked, and nothing here is written into migrations. Each adds to
the `errors` dict a model's `clean()` collects (`setdefault`: an earlier, more specific error of the
same field wins) and raises nothing itself.
"""

import datetime as dt

from django.utils import timezone

from yuanjiang.common import formatting

AID_START = dt.date(1997, 1, 1)


def _label(obj, name: str) -> str:
    return str(obj._meta.get_field(name).verbose_name)


def too_early_message(label: str) -> str:
    return f"{label}不能早于{formatting.date(AID_START)}。"


def future_message(label: str, today: dt.date) -> str:
    return f"{label}不能晚于今天（{formatting.date(today)}）：尚未发生的事项不登记。"


def check_past_dates(errors: dict, obj, *names: str, earliest: bool = True, today: dt.date | None = None):
    """Each named date field, when filled, lies between `AID_START` and today.

    `earliest=False` leaves the lower bound to a field validator that already checks it (talent's
    `validate_plausible_date`), so that a date is not reported twice.
    """
    today = today or timezone.localdate()
    for name in names:
        value = getattr(obj, name)
        if value is None:
            continue
        if earliest and value < AID_START:
            errors.setdefault(name, too_early_message(_label(obj, name)))
        elif value > today:
            errors.setdefault(name, future_message(_label(obj, name), today))


def check_not_before_start(errors: dict, obj, *names: str):
    """Each named date field, when filled, is not before `AID_START` (planned dates may lie ahead)."""
    for name in names:
        value = getattr(obj, name)
        if value is not None and value < AID_START:
            errors.setdefault(name, too_early_message(_label(obj, name)))


def check_township(errors: dict, obj, field: str = "township", program_field: str = "program"):
    """The township chosen lies in the recipient county of the record's program (one query)."""
    township_id = getattr(obj, f"{field}_id")
    if not township_id or not getattr(obj, f"{program_field}_id"):
        return
    program = getattr(obj, program_field)
    if not program.townships().filter(pk=township_id).exists():
        errors.setdefault(field, f"所选乡镇不属于{program.recipient_region}。")
