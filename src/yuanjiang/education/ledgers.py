"""The education ledgers (教育基金捐赠、资助台账; schools, classes, exam results and funds derived): docs/ledgers.md,
interop/spec.py."""

from yuanjiang.interop.spec import LedgerSpec

LEDGERS = [
    LedgerSpec(
        "education.FundDonation",
        kind="fund-donations",
        label="教育基金捐赠台账",
        keys=(("fund", "donor", "date"),),
        synonyms={"fund": ("基金", "基金名称"), "donor": ("捐赠人", "捐赠单位"), "date": ("日期", "时间")},
        order=("fund", "donor", "donor_kind", "date", "amount"),
        position=110,
    ),
    LedgerSpec(
        "education.FundGrant",
        kind="fund-grants",
        label="教育基金资助台账",
        keys=(("fund", "kind", "date", "amount"),),
        synonyms={"fund": ("基金", "基金名称")},
        order=("fund", "kind", "recipient_kind", "recipients", "date", "amount"),
        position=120,
    ),
    LedgerSpec("education.School", position=220),
    LedgerSpec("education.TeachingClass", position=230),
    LedgerSpec("education.ExamResult", position=240),
    LedgerSpec("education.Fund", position=250),
]
