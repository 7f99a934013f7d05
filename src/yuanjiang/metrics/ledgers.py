"""The ledger of reported values (报送数台账, derived from ManualValue's fields): docs/ledgers.md."""

from yuanjiang.interop.spec import LedgerSpec

LEDGERS = [
    LedgerSpec("metrics.ManualValue", position=260),
]
