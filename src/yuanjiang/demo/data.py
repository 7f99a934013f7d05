"""The demo's settings that are not rows: its names, dates and accounts.

The demo is 江苏援伊·南通工作组（第十一批）and its 15 aid projects of 2023, reconstructed from a public
news article of summer 2024 ("15个援疆项目全部开工，南通第十一批援疆干部人才晒出首年成绩单 — 紧握接力棒
跑出新气象"), then a second, wholly illustrative year (示意) to DEMO_AS_OF. Its rows are data files next
to each app (`<app>/demo/first_year.toml`, `second_year.toml`; docs/demo.md), loaded by
`yuanjiang.demo.loader` through `yuanjiang.demo.services.demo_load()`. The article's figures reproduced
exactly: 15 aid projects, all started (开工率 100%) within the first program year; 伊宁县南通第二实验学校
(总建筑面积 4万平方米, 3000 学位, delivered on 1 September 2024); the 伊宁县青创园 upgrade ("投入近300万元"
→ 2 950 000 元); cadre and talent training ("投入援疆资金480万元" → 4 800 000 元, "培训3100余人次" → 3 150
人次). Everything else is plausible and illustrative; people's names are invented.
"""

import datetime as dt
from dataclasses import dataclass

from yuanjiang.accounts.models import Role

DEMO_NOTE = "示例数据：依据公开报道重构，除报道所载数字外均为示意。"
DEMO_SOURCE = "公开报道《15个援疆项目全部开工，南通第十一批援疆干部人才晒出首年成绩单》（2024年夏）"
ARTICLE_AS_OF = dt.date(2024, 6, 30)  # the article's snapshot: no first-year record is dated later
DEMO_AS_OF = dt.date(2025, 6, 30)  # the demo's, with its second year (示意)
DEMO_PASSWORD = "yuanjiang"

D = dt.date.fromisoformat

PROGRAM = {"slug": "nantong-yining-11"}  # the demo's program (org/demo/first_year.toml)
SECOND_PROGRAM = {"slug": "nanjing-yiningshi-11"}  # a second, illustrative one: scoping

# The periods the article's figures refer to.
FIRST_YEAR = (D("2023-04-01"), D("2024-03-31"))  # 首年
ARTICLE_PERIOD = (D("2023-04-01"), D("2024-06-30"))  # 进疆以来, as of the article

SECOND_PROGRAM_NOTE = "南京工作组（伊宁市）及其项目纯属示意，仅用于演示按援疆项目组划分的数据权限。"


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: str
    program: str | None  # Program slug, or
    organization: str | None  # Organization slug
    can: str
    superuser: bool = False

    @property
    def role_label(self) -> str:
        return Role(self.role).label


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "nt_clerk",
        "周文静",
        Role.CLERK,
        PROGRAM["slug"],
        None,
        "填报、修改南通工作组（第十一批）的项目、资金和进度记录",
    ),
    DemoUser(
        "nt_lead",
        "陆建华",
        Role.LEAD,
        PROGRAM["slug"],
        None,
        "审核南通工作组的数据，发布成绩单",
    ),
    DemoUser(
        "js_supervisor",
        "王志刚",
        Role.SUPERVISOR,
        None,
        "jiangsu-yili-front",
        "查看江苏援伊前方指挥部下所有工作组的数据并汇总比较",
    ),
    DemoUser(
        "auditor",
        "孙丽萍",
        Role.AUDITOR,
        None,
        "jiangsu",
        "查看江苏省援疆办范围内的全部数据和完整变更日志",
    ),
    DemoUser(
        "admin",
        "吴海燕",
        Role.ADMIN,
        None,
        "jiangsu",
        "管理用户、角色和参考数据（超级用户）",
        superuser=True,
    ),
    DemoUser(
        "nj_clerk",
        "韩雪",
        Role.CLERK,
        SECOND_PROGRAM["slug"],
        None,
        "填报南京工作组（伊宁市，示意）的记录；看不到南通工作组的数据",
    ),
)
