"""The education fund's ledger: balances at any date, and the rule that the balance never goes
negative — a grant may not overdraw the fund at its date, and no donation may be cut or removed
when a later grant relies on it."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from yuanjiang.common import formatting


@dataclass(frozen=True)
class LedgerRow:
    date: dt.date
    entry: object  # a FundDonation or FundGrant
    inflow: Decimal
    outflow: Decimal
    balance: Decimal


def fund_balance(fund, on: dt.date) -> Decimal:
    """Donations dated on or before `on` minus grants dated on or before `on` (two aggregate queries)."""
    from yuanjiang.education.models import FundDonation, FundGrant

    donated = FundDonation.objects.filter(fund=fund, date__lte=on).aggregate(s=Sum("amount"))["s"] or 0
    granted = FundGrant.objects.filter(fund=fund, date__lte=on).aggregate(s=Sum("amount"))["s"] or 0
    return Decimal(donated) - Decimal(granted)


def ledger(donations, grants) -> list[LedgerRow]:
    """The fund's entries in date order (donations before grants on the same day) with the running
    balance after each: the fund page's 收支明细."""
    entries = [(d.date, 0, d.pk, d) for d in donations] + [(g.date, 1, g.pk, g) for g in grants]
    rows, balance = [], Decimal(0)
    for date, kind, _pk, entry in sorted(entries, key=lambda e: (e[0], e[1], e[2])):
        inflow = entry.amount if kind == 0 else Decimal(0)
        outflow = entry.amount if kind == 1 else Decimal(0)
        balance += inflow - outflow
        rows.append(LedgerRow(date, entry, inflow, outflow, balance))
    return rows


def daily_balances(donations, grants) -> list[tuple[dt.date, Decimal]]:
    """(date, balance at the end of that day) for every day with an entry; inputs are (date, amount)."""
    by_day: dict[dt.date, Decimal] = defaultdict(Decimal)
    for date, amount in donations:
        by_day[date] += amount
    for date, amount in grants:
        by_day[date] -= amount
    result, balance = [], Decimal(0)
    for day in sorted(by_day):
        balance += by_day[day]
        result.append((day, balance))
    return result


def balance_problem(entry, *, deleting: bool = False) -> str | None:
    """Why saving (or deleting) `entry` would make the fund's balance negative at some date, as a
    Chinese message naming the balance; None when it would not. Two queries."""
    from yuanjiang.education.models import FundDonation, FundGrant

    is_grant = isinstance(entry, FundGrant)
    donations = FundDonation.objects.filter(fund_id=entry.fund_id)
    grants = FundGrant.objects.filter(fund_id=entry.fund_id)
    # The entry's stored version is left out (its new values are added below); pks are per model.
    if is_grant:
        grants = grants.exclude(pk=entry.pk)
    else:
        donations = donations.exclude(pk=entry.pk)
    donations = list(donations.values_list("date", "amount"))
    grants = list(grants.values_list("date", "amount"))
    without = daily_balances(donations, grants)
    if not deleting:
        (grants if is_grant else donations).append((entry.date, entry.amount))
    after = daily_balances(donations, grants)
    negative = next(((day, bal) for day, bal in after if bal < 0), None)
    if negative is None:
        return None
    fund_name = entry.fund.name if entry.fund_id else "基金"
    if is_grant and not deleting:
        # What the fund holds at the grant's date, and the most it can pay without a later grant bouncing.
        at_date = next((bal for day, bal in reversed(without) if day <= entry.date), Decimal(0))
        available = min([at_date] + [bal for day, bal in without if day > entry.date])
        available = max(available, Decimal(0))
        if entry.amount > at_date:
            return (
                f"资助金额超出基金余额：“{fund_name}”截至{formatting.date(entry.date)}的余额为"
                f"{formatting.money(at_date)}，不足以支付本笔{formatting.money(entry.amount)}。本次未保存。"
            )
        return (
            f"资助金额超出基金可用余额：“{fund_name}”截至{formatting.date(entry.date)}的余额为"
            f"{formatting.money(at_date)}，但其后已有资助，本笔最多可支付{formatting.money(available)}"
            f"（否则{formatting.date(negative[0])}的余额将为负数）。本次未保存。"
        )
    action = "删除" if deleting else "保存"
    return (
        f"{action}后，“{fund_name}”在{formatting.date(negative[0])}的余额将为{formatting.money(negative[1])}"
        f"（负数），已发放的资助将无资金来源。本次未{action}。"
    )
