"""The aid project ledgers (项目、产出、资金、进度台账): docs/ledgers.md, interop/spec.py."""

from yuanjiang.interop.spec import LedgerSpec

# The headers a sheet names an aid project by, in every ledger of a project's records.
_PROJECT_FK = ("项目编号", "援疆项目", "项目名称", "项目", "所属项目", "所属援疆项目")

LEDGERS = [
    LedgerSpec(
        "projects.AidProject",
        kind="projects",
        label="项目台账",
        keys=(("code",), ("name",)),
        synonyms={
            "code": ("编号", "项目代码", "项目编码"),
            "name": ("名称", "项目", "建设项目名称", "援疆项目名称"),
            "category": ("类别", "项目类型", "所属领域", "领域"),
            "nature": ("性质", "新建/续建", "新建续建"),
            "delivery_mode": ("建设方式", "援建模式", "实施方式"),
            "township": ("乡镇", "建设地点", "所在乡镇", "建设地点乡镇", "项目地点"),
            "location_detail": ("具体地点", "详细地址", "建设地址"),
            "implementing_unit": ("项目实施单位", "建设单位", "业主单位"),
            "supervising_unit": ("主管单位", "行业主管部门"),
            "aid_side_contact": ("援方负责人", "江苏方责任人", "援方联系人"),
            "local_contact": ("受援地责任人", "受援方负责人", "当地责任人"),
            "plan_year": ("年度", "计划年份", "实施年度", "年份"),
            "total_investment": ("项目总投资", "总投资额", "计划总投资"),
            "aid_funds": ("援疆资金计划", "计划援疆资金", "援疆资金安排", "安排援疆资金", "援疆资金金额"),
            "other_funds": ("其他资金计划", "地方配套资金", "配套资金", "其他来源资金"),
            "content": ("建设内容", "建设规模及内容", "主要建设内容", "建设内容和规模"),
            "expected_beneficiaries": ("受益人数", "预计受益人口", "受益群众"),
            "expected_jobs": ("带动就业", "预计带动就业", "带动就业人数"),
            "planned_start": ("计划开工时间", "计划开工"),
            "actual_start": ("开工时间", "开工日期", "实际开工时间", "实际开工"),
            "planned_completion": ("计划完工时间", "计划竣工日期", "计划竣工时间", "计划完工"),
            "actual_completion": (
                "完工时间",
                "完工日期",
                "竣工时间",
                "竣工日期",
                "实际完工时间",
                "实际竣工日期",
            ),
            "planned_delivery": ("计划交付日期", "计划投产日期", "计划交付时间"),
            "actual_delivery": ("交付日期", "投产日期", "实际交付日期", "实际投产日期", "交付使用时间"),
            "planned_acceptance": ("计划验收时间",),
            "actual_acceptance": ("验收日期", "验收时间", "实际验收时间"),
        },
        headers={"township": "建设地点（乡镇）"},
        notes={"code": "同一项目组内唯一；留空时按项目名称匹配", "township": "乡镇名，乡或镇均可"},
        position=10,
    ),
    LedgerSpec(
        "projects.ProjectOutput",
        kind="outputs",
        label="项目产出台账",
        keys=(("project", "name"),),
        synonyms={"project": _PROJECT_FK, "name": ("产出", "指标", "指标名称"), "quantity": ("数值", "规模")},
        headers={"project": "项目编号"},
        position=20,
    ),
    LedgerSpec(
        "projects.FundTransaction",
        kind="transactions",
        label="资金台账",
        keys=(("project", "kind", "date", "amount"),),
        synonyms={
            "project": _PROJECT_FK,
            "kind": ("资金类型", "类别", "款项类型"),
            "date": ("拨付日期", "下达日期", "支出日期", "时间"),
            "amount": ("资金", "拨付金额", "下达金额", "支出金额"),
            "source_document": ("文号", "凭证号", "依据", "拨付文号", "下达文号"),
        },
        headers={"project": "项目编号"},
        position=30,
    ),
    LedgerSpec(
        "projects.ProgressReport",
        kind="progress",
        label="进度台账",
        keys=(("project", "report_date"),),
        synonyms={
            "project": _PROJECT_FK,
            "report_date": ("日期", "报告日期", "填报时间", "统计日期"),
            "investment_completed": ("完成投资", "累计完成投资额", "已完成投资"),
            "progress_percent": ("形象进度", "进度", "完成进度", "工程进度"),
            "image_progress": ("进度描述", "形象进度情况", "进展情况"),
            "problems": ("问题", "存在的问题", "困难问题"),
            "next_steps": ("下步计划", "下一步工作", "下一步打算"),
        },
        headers={"project": "项目编号"},
        position=40,
    ),
]

# A cell names an aid project by its code, else its name (the code is what export writes).
LOOKUPS = {"projects.AidProject": ("code", "name")}
