"""Read-side figures of one aid project for its pages (the view wires them in, computes nothing)."""

from dataclasses import dataclass
from decimal import Decimal

from yuanjiang.projects.choices import TransactionKind


@dataclass(frozen=True)
class FundTotals:
    """下达 / 拨付 / 支出 of a project, and 拨付率 = 拨付 ÷ 援疆资金 in % (one decimal; None without
    援疆资金) — per project what the metric projects.disbursement_rate is per program and period."""

    commitment: Decimal
    disbursement: Decimal
    expenditure: Decimal
    aid_funds: Decimal | None

    @property
    def disbursement_rate(self) -> Decimal | None:
        if not self.aid_funds:
            return None
        return round(self.disbursement * 100 / self.aid_funds, 1)


def fund_totals(project) -> FundTotals:
    """The totals of `project`'s fund transactions. Reads `project.transactions.all()`, so a view that
    prefetched them runs no query here."""
    totals = {kind: Decimal(0) for kind in TransactionKind.values}
    for t in project.transactions.all():
        totals[t.kind] += t.amount
    return FundTotals(
        commitment=totals[TransactionKind.COMMITMENT],
        disbursement=totals[TransactionKind.DISBURSEMENT],
        expenditure=totals[TransactionKind.EXPENDITURE],
        aid_funds=project.aid_funds,
    )
