"""The demo's previous batch (第十批, illustrative: 示意) of 南通 → 伊宁县 and its handover.

Two of its projects were unfinished when the 第十一批 took over; the outgoing lead carried them over
on 2023-06-30 (org.handover), so the 第十一批 shows two 续建 projects linked to their origin and the
pairing's 接力棒 page compares the two batches. The handover date is after the 第十一批's term start:
its 首年, 进疆以来 and the article's period (all from 2023-04-01) keep the article's figures (15 projects,
all 新建); from the handover on (2024年, 第二年) the carried projects count as 续建. Their money in the
new batch (下达 and 拨付 of what was left) is dated from 2024-04-01, after the first year.

None of this comes from the seed article: every name says 示意.
"""

import datetime as dt
from decimal import Decimal

from yuanjiang.demo import data
from yuanjiang.org.handover import hand_over
from yuanjiang.org.models import Program
from yuanjiang.projects.choices import Category, DeliveryMode, Nature, TransactionKind
from yuanjiang.projects.models import FundTransaction

D = dt.date
HANDOVER_ON = D(2023, 6, 30)

PREVIOUS_PROGRAM = {
    "slug": "nantong-yining-10",
    "name": "江苏援伊·南通工作组（第十批，示意）",
    "provider": "nantong-wg",
    "recipient_region": "654021",  # 伊宁县
    "batch": 10,
    "term_start": D(2020, 7, 1),
    "term_end": D(2023, 6, 30),
}


def _project(code, name, category, township, aid, total, start, disbursed, content) -> data.Project:
    return data.Project(
        code=code,
        name=name,
        category=category,
        nature=Nature.NEW,
        delivery_mode=DeliveryMode.CHEQUE,
        township=township,
        location_detail="伊宁县（示意）",
        implementing_unit="伊宁县相关部门（示意）",
        supervising_unit="伊宁县发展和改革委员会（示意）",
        aid_side_contact="",
        local_contact="",
        total_investment=total,
        aid_funds=aid,
        content=content,
        outputs=(),
        commitment=(D(2022, 3, 15), "第十批援疆资金下达文件（示意）"),
        disbursements=tuple(
            data.Txn(d, amount, f"第十批拨付凭证（示意）{i + 1}") for i, (d, amount) in enumerate(disbursed)
        ),
        expenditures=(),
        reports=(),
        planned_start=start,
        actual_start=start,
        planned_completion=D(2024, 10, 31),
        plan_year=2022,
    )


PREVIOUS_PROJECTS = (
    _project(
        "NTYN10-2022-01",
        "伊宁县英塔木镇农产品冷链仓储项目（示意）",
        Category.INDUSTRY,
        "654021102",  # 英塔木镇
        Decimal("6000000"),
        Decimal("8000000"),
        D(2022, 5, 10),
        ((D(2022, 8, 1), Decimal("2000000")), (D(2023, 3, 1), Decimal("1500000"))),
        "新建冷链仓储库及配套设施（示意）。",
    ),
    _project(
        "NTYN10-2022-02",
        "伊宁县武功乡卫生院业务用房改扩建项目（示意）",
        Category.HEALTH,
        "654021203",  # 武功乡
        Decimal("3000000"),
        Decimal("3500000"),
        D(2022, 6, 1),
        ((D(2022, 9, 1), Decimal("1000000")),),
        "卫生院业务用房改扩建（示意）。",
    ),
)


def load_previous_batch(program: Program, townships, save, load_project, load_program, result):
    """The 第十批 (示意) before `program` (the 第十一批), its two projects and their handover.

    `save`, `load_project` and `load_program` are the demo loader's own (demo.services), so these
    records go through the same checks. The carried projects' new money is added to `result` (the
    main program's totals)."""
    previous = load_program(PREVIOUS_PROGRAM)
    scratch = type(result)(program=previous)
    for spec in PREVIOUS_PROJECTS:
        load_project(previous, spec, townships, scratch)
    program.predecessor = previous
    save(program)
    carried = hand_over(previous, program, scratch.projects, HANDOVER_ON)
    for copy in carried.projects:
        result.projects.append(copy)
        result.aid_funds += copy.aid_funds
        paid = (copy.aid_funds * Decimal("0.6")).quantize(Decimal("1"))
        for kind, day, amount, doc in (
            (TransactionKind.COMMITMENT, D(2024, 4, 1), copy.aid_funds, "第十一批续建项目资金下达（示意）"),
            (TransactionKind.DISBURSEMENT, D(2024, 5, 10), paid, "第十一批续建项目拨付凭证（示意）"),
        ):
            save(FundTransaction(project=copy, kind=kind, date=day, amount=amount, source_document=doc))
            result.transactions += 1
            if kind == TransactionKind.DISBURSEMENT:
                result.disbursed += amount
    return previous
