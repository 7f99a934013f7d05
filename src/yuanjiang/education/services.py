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


# -- the rule on every write path (kernel hooks, registered in education.apps) -------------------
def clean_balance(entry, exclude=()) -> dict | None:
    """Kernel clean hook: the form's message on the amount, before any write."""
    if entry.fund_id and entry.amount is not None and entry.amount > 0:
        message = balance_problem(entry)
        if message:
            return {"amount" if "amount" not in exclude else "__all__": [message]}
    return None


def refuse_overdraft(write):
    """Kernel hook (before every create, update and delete of a donation or grant, whatever the path):
    refuse a write after which a fund's balance would be negative on some day. The funds' rows are
    locked first, so two concurrent grants cannot together overdraw one; a chunk of any size is
    checked in three queries."""
    from django.core.exceptions import ValidationError

    from yuanjiang.education.models import Fund, FundDonation, FundGrant

    deleting = write.action == "delete"
    fund_ids = {o.fund_id for o in write.objs} | {write.stored(o).get("fund_id") for o in write.objs}
    fund_ids.discard(None)
    if not fund_ids:
        return
    funds = {f.pk: f for f in Fund.objects.using(write.using).select_for_update().filter(pk__in=fund_ids)}
    # A fund handed over to the next batch (org.handover): its balance on that day was carried, so
    # its entries are history — none added or deleted, no amount or date changed (a review is fine).
    for obj in write.objs:
        for fund_id in {obj.fund_id, write.stored(obj).get("fund_id")}:
            fund = funds.get(fund_id)
            if fund is None or fund.handed_over_on is None or fund.carried_from_id is not None:
                continue
            if write.action == "update" and not write.changed(obj) & {"amount", "date", "fund_id"}:
                continue
            message = (
                f"基金“{fund.name}”已于{formatting.date(fund.handed_over_on)}移交下一批次，当日余额已结转："
                "其收支记录不能再增删或改动金额、日期；此后的收支请记在下一批次的基金中。"
            )
            raise ValidationError(message if deleting else {"date": message})
    entries = {}
    for model in (FundDonation, FundGrant):
        rows = model._base_manager.using(write.using).filter(fund_id__in=fund_ids).order_by()
        entries[model] = {
            (fund, pk): (day, amount)
            for pk, fund, day, amount in rows.values_list("pk", "fund_id", "date", "amount")
        }
    table = entries[write.model if write.model in entries else FundDonation]
    for obj in write.objs:
        for key in [k for k in table if k[1] == obj.pk]:
            del table[key]
        if not deleting:
            table[(obj.fund_id, obj.pk or id(obj))] = (obj.date, obj.amount)
    for fund_id in sorted(fund_ids):
        donations = [v for (f, _pk), v in entries[FundDonation].items() if f == fund_id]
        grants = [v for (f, _pk), v in entries[FundGrant].items() if f == fund_id]
        negative = next(((day, bal) for day, bal in daily_balances(donations, grants) if bal < 0), None)
        if negative is None:
            continue
        if len(write.objs) == 1 and write.objs[0].fund_id == fund_id:  # the form's detailed message
            message = balance_problem(write.objs[0], deleting=deleting)
        else:
            message = None
        action = "删除" if deleting else "保存"
        message = message or (
            f"{action}后，“{funds[fund_id].name}”在{formatting.date(negative[0])}的余额将为"
            f"{formatting.money(negative[1])}（负数），已发放的资助将无资金来源。本次未{action}。"
        )
        raise ValidationError(message if deleting else {"amount": message})
