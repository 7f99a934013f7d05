"""The talent ledgers (引进人才、培训台账, 援疆干部人才名册; 协议 derived): docs/ledgers.md, interop/spec.py."""

from yuanjiang.interop.spec import LedgerSpec

LEDGERS = [
    LedgerSpec(
        "talent.TalentVisit",
        kind="talent-visits",
        label="引进人才台账",
        keys=(("experts", "start"),),
        synonyms={
            "experts": ("专家", "团队", "人才（团队）", "专家团队", "姓名"),
            "field": ("领域", "专业领域"),
            "institution": ("派出机构", "所在机构"),
            "start": ("进疆时间", "到达日期", "开始日期"),
            "end": ("离疆时间", "结束日期"),
            "people": ("人数",),
            "person_times": ("人次",),
        },
        position=70,
    ),
    LedgerSpec(
        "talent.TrainingCourse",
        kind="training-courses",
        label="培训台账",
        keys=(("name", "start"),),
        synonyms={
            "name": ("培训班", "名称", "培训名称", "培训项目"),
            "audience": ("对象", "培训人员类别"),
            "mode": ("方式", "培训形式"),
            "place": ("培训地点", "地点"),
            "start": ("开班时间", "开始日期", "培训时间"),
            "end": ("结业时间", "结束日期"),
            "participants": ("培训人数", "参训人数", "人数", "培训人次"),
            "aid_funds": ("援疆资金", "使用资金", "经费"),
            "project": ("援疆项目", "所属项目", "项目编号"),
        },
        position=80,
    ),
    LedgerSpec(
        "talent.AidWorker",
        kind="aid-workers",
        label="援疆干部人才名册",
        keys=(("name", "term_start"),),
        synonyms={"name": ("干部姓名", "人才姓名")},
        position=130,
    ),
    LedgerSpec("talent.Agreement", position=200),
]
