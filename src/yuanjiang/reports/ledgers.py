"""The ledger of annual targets (年度目标任务台账, derived from Target's fields): docs/ledgers.md."""

from yuanjiang.interop.spec import LedgerSpec

LEDGERS = [
    LedgerSpec("reports.Target", position=270),
]
