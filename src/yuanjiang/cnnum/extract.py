"""Extraction: every numeric claim of a text, with its metric phrase, interval and modality.

The extractor is built from rules of the language, not from any particular article:

1. **Find** — every numeral (Arabic or Chinese, 数百/几十/上千, 百分之…) is read by the scanner
   (:mod:`.scan`) with its qualifiers and unit.
2. **Skip** what is not a claim (:func:`_skip_reason`): ordinals (第十一批, 第二中学), dates, times,
   durations and ages (2024年, 9月1日, 去年4月, 3个月, 60岁), labels ("8+1+1", "1+3", “两个维护”),
   model numbers (5G), idioms and slogans (千方百计, 百业兴, 一带一路), a bare 一 before a classifier (an
   article: 一名患者, 一批, 一个个), phase labels (一期, 二期), bare multipliers without a qualifier
   (千家万户), and numerals without a unit (高三, 十四五) unless they carry 万/亿.
3. **Describe** — the metric phrase is the noun after a classifier (15个|援疆项目) or else the
   noun phrase before the figure (受益群众|2500余人次); the modality comes from the nearest marker
   before the figure in its clause (计划 → planned, 预计 → expected, 可容纳 → capacity, 目标/力争/
   确保 → target), from 将 + a delivery verb, from 总投资 (a project's planned size), or is inherited
   by a verbless clause from the preceding clause of the same sentence (二期计划投资500万元,
   年产值约2000万元 → expected).
4. **Dedupe** — a paragraph identical to, or a truncated prefix of, an earlier paragraph (a scraping
   artefact) does not report its claims again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from .numerals import CN_NUMERAL_CHARS, normalize
from .quantity import Quantity, build
from .scan import Figure, prefix_before, scan_at
from .scan import _resolve as resolve_qualifier
from .units import COUNT_UNITS, MONEY_UNITS, PLACE_UNITS

MODALITIES = ("actual", "planned", "expected", "capacity", "target")

#: Texts longer than this (in characters) are refused: a report is ~10 000 characters.
MAX_CHARS = 1_000_000


class TextTooLarge(ValueError):
    """The text exceeds :data:`MAX_CHARS` (message in Chinese)."""


@dataclass(frozen=True)
class Claim:
    """One numeric claim of a text. ``text[start:end] == fragment``."""

    fragment: str
    start: int
    end: int
    metric_phrase: str
    value: Decimal
    low: Decimal | None
    high: Decimal | None
    unit: str
    qualifier: str
    modality: str
    sentence: str
    low_inclusive: bool = True
    high_inclusive: bool = True

    @property
    def quantity(self) -> Quantity:
        return Quantity(
            self.value,
            self.low,
            self.high,
            self.low_inclusive,
            self.high_inclusive,
            self.unit,
            self.qualifier,
        )

    def contains(self, x: object) -> bool:
        return self.quantity.contains(x)

    def to_dict(self) -> dict[str, object]:
        """The JSON shape: numbers as int when integral, else float."""
        return {
            "fragment": self.fragment,
            "start": self.start,
            "end": self.end,
            "metric_phrase": self.metric_phrase,
            "value": json_number(self.value),
            "low": json_number(self.low),
            "high": json_number(self.high),
            "unit": self.unit,
            "qualifier": self.qualifier,
            "modality": self.modality,
        }


def json_number(d: Decimal | None) -> int | float | None:
    if d is None:
        return None
    if d == d.to_integral_value():
        return int(d)
    return float(d)


# ---------------------------------------------------------------------------------------------------
# lexicon

IDIOMS = (
    "千方百计 百业兴 百业兴旺 万众一心 一带一路 千家万户 千辛万苦 千军万马 万水千山 百花齐放 百舸争流 四面八方 "
    "五湖四海 三心二意 一心一意 七嘴八舌 九牛一毛 十全十美 百尺竿头 千载难逢 万无一失 千里迢迢 三番五次 三令五申 "
    "五花八门 四通八达 七零八落 一草一木 一砖一瓦 一点一滴 一针一线 一言一行 一人一策 一户一策 一村一品 一乡一业 "
    "一县一业 一企一策 一校一策 一成不变 百年大计 千秋万代 万紫千红 千姿百态 百折不挠 一以贯之 三位一体 五位一体 "
    "四位一体 两个维护 两个确立 四个意识 四个自信 五个认同 三个代表 两个一百年 四个全面 两学一做 三会一课 三严三实 "
    "四下基层 一国两制 两不愁三保障 万人空巷 十年树木 百年树人 一年四季 一日千里 千头万绪 百废待兴 百战百胜 "
    "一举两得 两全其美 三五成群 四季如春 十拿九稳 一呼百应 一应俱全 一马当先 一鼓作气 一脉相承 一如既往 一往无前 "
    "一丝不苟 一视同仁 一目了然 万家灯火 百家争鸣 千言万语 千变万化 成千上万 成百上千 数以万计 数以千计 数以百计 "
    "一五一十 三头六臂 五谷丰登 六畜兴旺 七上八下 九九归一 一分为二 十指连心 千锤百炼 百炼成钢 万古长青 三生有幸 "
    "三区三州 一带一路 五个一 一盘棋 一张蓝图 一把手 二把手 一线 四季游 三农 一站式 一体化 一揽子 一系列 一大批 "
    "时间过半 任务过半 双过半 时间过半任务过半"
).split()
_IDIOM_RE = re.compile("|".join(sorted(set(IDIOMS), key=len, reverse=True)))

# Verbs that make a clause an action (not a list of attributes), and that start a predicate.
ACTION_VERBS = (
    "开展 对接 拜访 投入 组织 引进 完成 实现 带动 拉动 新增 建成 举办 培训 签约 签订 落户 吸纳 解决 惠及 覆盖 "
    "帮助 资助 捐赠 捐助 争取 落实 安排 选派 派出 接待 开工 竣工 投产 建设 改造 援建 招引 促成 发放 提供 培养 "
    "帮扶 结对 救治 诊治 开设 成立 设立 达成 达到 收购 推动 购买 采购 筹集 募集 拨付 下达 支出 承担 召开 培育 "
    "打造 建立 派驻 选聘 聘请 邀请 开通 铺设 修建 新建 改建 扩建 种植 栽植 养殖 销售 转移 输出 转运 创建 认定 "
    "获批 获得 荣获 评为 接收 录取 考取 开办 开发 推广 引导 参加 参与 参训 走访 慰问 捐款 捐物 捐资 投资建设 "
    "入驻 进驻 吸引 落地 签署 实施 服务 受理 办理 培训了 诊疗 义诊 手术 完工 交付 建有 拥有 带领"
).split()
_ACTION_RE = re.compile("|".join(sorted(set(ACTION_VERBS), key=len, reverse=True)))

# Words that end a noun phrase read after a classifier (15个援疆项目|全部开工).
_STOP_AFTER = (
    "发展 壮大 增收 致富 运营 运行 生产 经营 全部 全面 实现 先后 相继 陆续 落户 落地 开工 建成 完工 竣工 投产 签约 现场 达成 就读 参加 参与 受益 获得 "
    "得到 完成 进行 开展 入驻 正在 已经 均 都 共 累计 分别 顺利 成功 覆盖 全覆盖 同比 增长 提高 提升 达到 达 "
    "在 于 为 对 与 和 及 是 被 由 将 可 能 到 来 赴 进 投入 集中 通过 纳入 实施 启动 带动 吸纳 惠及 参训 结对 "
    "帮扶 考察 接受 享受 涉及 计划 预计 拟 等 的 之 已 也 还 又 并 且 中 里 以上 左右 次 个 从 向 给 让 "
    "获 有 至 从事 出 上 下 得 被 展开 展示 达标 签下 整体 基本 全 所"
).split()
_STOP_AFTER_RE = re.compile("|".join(sorted(set(_STOP_AFTER), key=len, reverse=True)))

# Neutral words between a metric phrase and its figure (受益群众达2500人次).
_TRAILING_NEUTRAL = re.compile(
    r"(?:共计|总计|合计|累计|共有|共|将达到|将达|可达到|可达|达到|达|为|是|有|已|超|分别|同比|全年|仅|计|将|可|约|要|在|于|"
    r"均|都|也|已经|由|从|提高到|提升到|增长到|增加到|下降到|降至|升至|到)+$"
)
_WEAK_METRIC_RE = re.compile(r"(?:提高|提升|增长|增加|下降|降低|减少|达到|和|及|与|或|以及|分别)?")
_LEADING_NOISE = re.compile(
    r"^(?:其中|另外|此外|同时|目前|截至目前|已|共|累计|先后|全年|今年|去年|当年|年内|预计|预期|力争|确保|目标是|目标|"
    r"达产后|建成后|投产后|运营后|届时|可容纳|可接待|可提供|将|可|年均|共同)+"
)
_CUT_RE = re.compile(r"[0-9]+(?:[年月日号](?:前|后|底|初|末|以来|起)?)?|[等、的”》（(）)]")
_INNER_CUT_RE = re.compile(r"力争|确保|预计|目标是|全年|累计|先后|分别|其中|以来|年来|截至目前|目前")

# Modality markers, searched right to left in the clause before the figure.
_MARKERS = {
    "planned": ("计划", "拟", "规划", "预算", "概算"),
    "expected": (
        "预计",
        "预期",
        "有望",
        "可望",
        "预测",
        "建成后",
        "投产后",
        "达产后",
        "运营后",
        "届时",
        "可实现",
        "可带动",
        "可达",
        "可新增",
        "可增加",
        "可解决",
        "可辐射",
        "可惠及",
        "可覆盖",
        "可创造",
        "可节约",
        "可减少",
        "可提高",
        "可望达到",
    ),
    "capacity": (
        "可容纳",
        "容纳",
        "可接待",
        "可安置",
        "可满足",
        "设计产能",
        "设计能力",
        "年产能",
        "产能",
        "可供",
        "可提供",
        "可吸纳",
        "可接纳",
        "可生产",
        "可加工",
        "可储存",
        "可存储",
        "可处理",
        "可年产",
        "可服务",
        "可安排",
        "加工能力",
        "承载能力",
        "培训能力",
        "设计学位",
        "设计床位",
        "设计规模",
        "设计容量",
        "接待能力",
        "生产能力",
        "处理能力",
        "供水能力",
        "储存能力",
        "仓储能力",
    ),
    "target": ("目标", "力争", "确保", "目标任务", "预期目标"),
    "actual": ("实际", "实际完成", "已完成", "累计完成", "已经"),
}
_MARKER_LIST = sorted(((w, m) for m, ws in _MARKERS.items() for w in ws), key=lambda t: -len(t[0]))
_MARKER_RE = re.compile("|".join(re.escape(w) for w, _ in _MARKER_LIST))
_MARKER_OF = dict(_MARKER_LIST)
_NOT_MARKER_BEFORE = {"拟": set("模虚草比"), "计划": set(), "目标": set()}
_FUTURE_VERBS = "竣工 交付 建成 投用 投入使用 启用 投产 开工 完工 落成 开业 运营 带动 实现 新增 达到 提供 惠及 解决 覆盖 吸纳 增加 形成".split()
# 将 + (up to 6 characters) + a verb: a future event. 将 directly before a number is the disposal
# construction (将200名群众纳入…), not the future.
_FUTURE_RE = re.compile(
    r"(?:即将|将于|将要|将)(?![0-9一二两三四五六七八九十百千万亿数])[^，,；;。]{0,6}?(?:"
    + "|".join(sorted(set(_FUTURE_VERBS + ACTION_VERBS), key=len, reverse=True))
    + ")"
)
_SHARE_OF_RE = re.compile(r"(?:任务)?的")
_ABILITY_RE = re.compile(r"能力(?:将|可)?(?:达到|达|为|约|近|超过|超)?$")
_PLAN_VERB_RE = re.compile(r"(?:新建|建设|援建|修建|改建|扩建|投资|实施|安排|投入|选派|派出|招收|举办|开展)$")
_OUTCOME_RE = re.compile(r"产值|收入|利税|税收|销售|营业|效益|就业|增收|利润|产量|营收|带动|受益|岗位")
_RATE_VERB_RE = re.compile(r"开工|完工|竣工|覆盖|完成|达标|合格|通过|就业|签约|落地|投产|到位|入学|脱贫|满意")
_GENERIC_NOUNS = frozenset({"工作", "活动", "服务", "任务", "业务", "项目"})
_AREA_UNITS = frozenset({"平方米", "平方公里", "亩", "公顷"})
_MONEY_WORDS_RE = re.compile(
    r"投资|资金|产值|销售额|交易额|营业额|收入|利润|税收|利税|经费|金额|额|款|成交|营收|募集|捐"
)

_SENT_END = set("。！？!?\n…")
_CLAUSE_END = _SENT_END | set("，,；;：:")
_LIST_SEP = set("、")
_LABEL_JOINERS = frozenset("+×*·•")
_CATEGORY_RE = re.compile(
    r"的?(?:项目|企业|工业|产业|规模|重点|行业|单位|村|户|乡镇|乡|镇|县|学校|医院|园区|家庭|合作社)"
)
_QUOTES_OPEN = set("“‘「『\"'《")
_QUOTES_CLOSE = set("”’」』\"'》")

_START_RE = re.compile(f"[0-9]|百分之|[{CN_NUMERAL_CHARS}数几上]")
_RUN_RE = re.compile(f"[0-9.,]+|[{CN_NUMERAL_CHARS}点]+")
_WINDOW = 200


# ---------------------------------------------------------------------------------------------------


def extract_claims(text: str, *, max_chars: int = MAX_CHARS) -> list[Claim]:
    """All numeric claims of ``text``, in order of appearance.

    Raises :class:`TextTooLarge` for texts over ``max_chars`` characters (checked before any work),
    so the time taken is bounded; an empty or blank text gives ``[]``.
    """
    if not isinstance(text, str):
        raise TypeError(f"需要文本（str），得到的是 {type(text).__name__}")
    if len(text) > max_chars:
        raise TextTooLarge(f"文本过长：{len(text)} 个字符，超过上限 {max_chars} 个字符；请拆分后分别提取。")
    s = normalize(text)
    if not s.strip():
        return []
    idiom_mask = _idiom_mask(s)
    found: list[tuple[Figure, Claim]] = []
    pos = 0
    prev_end = 0
    n = len(s)
    while pos < n:
        m = _START_RE.search(s, pos)
        if not m:
            break
        i = m.start()
        if i > 0 and s[i - 1].isdigit():  # inside a number a previous figure did not take
            pos = i + 1
            continue
        fig = scan_at(s, i)
        if fig is None:
            run = _RUN_RE.match(s, i)
            pos = max(run.end() if run else i + 1, i + 1)
            continue
        pos = max(fig.end, i + 1)
        if _skip_reason(s, fig, idiom_mask):
            continue
        claim = _make_claim(text, s, fig, prev_end)
        if found and _WEAK_METRIC_RE.fullmatch(claim.metric_phrase):
            pclaim = found[-1][1]
            if pclaim.sentence == claim.sentence and pclaim.metric_phrase:
                # 由23.6%提高到41.2%, 分别增长62%和71.5%: the same metric as the previous figure
                claim = replace(claim, metric_phrase=pclaim.metric_phrase)
        found.append((fig, claim))
        prev_end = fig.end
    specials = [(fig, _make_claim(text, s, fig)) for fig in _special_figures(s, idiom_mask)]
    if specials:
        found = sorted(found + specials, key=lambda fc: fc[0].start)
    sections = plan_sections(s)
    if sections:
        found = [
            (fig, replace(c, modality="planned"))
            if c.modality == "actual" and any(x <= fig.start < y for x, y in sections)
            else (fig, c)
            for fig, c in found
        ]
    return _dedupe(s, found)


# A heading announcing plans (三、2024年工作打算, 二、下一步工作打算, 2025年工作计划): the figures under it
# are planned. A heading that also reviews (工作回顾及…计划, 工作情况及下一步工作打算) is a title.
_PLAN_HEADING = re.compile(r"计划|打算|安排|思路|展望|下一步|目标任务|工作要点|预期目标")
_REVIEW_WORDS = re.compile(r"回顾|情况|总结|成效|成绩|完成|进展")
_ENUM_HEAD = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分|[0-9]+[、.．]\D)")
_HEADING_MAX = 30


def plan_sections(s: str) -> list[tuple[int, int]]:
    """The spans of the text under a plan heading: from the heading to the next heading of its level
    (the next 一、/二、… line when it is numbered so, else the next short heading-like line)."""
    lines = []
    pos = 0
    for line in s.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    out = []
    k = 0
    while k < len(lines):
        start, line = lines[k]
        body = line.strip()
        if k > 0 and _is_heading(body) and _PLAN_HEADING.search(body) and not _REVIEW_WORDS.search(body):
            numbered = bool(_ENUM_HEAD.match(body))
            end = len(s)
            j = k + 1
            while j < len(lines):
                other = lines[j][1].strip()
                if _is_heading(other) and (not numbered or _ENUM_HEAD.match(other)):
                    end = lines[j][0]
                    break
                j += 1
            out.append((start, end))
            k = j
            continue
        k += 1
    return out


def _is_heading(line: str) -> bool:
    """A short line without sentence punctuation, figures (a year aside) or a label's value."""
    return (
        0 < len(line) <= _HEADING_MAX
        and not re.search(r"[。；;！？]", line)
        and not line.endswith("：")
        and not re.search(r"[0-9０-９]", re.sub(r"20\d\d\s*年|^\s*[0-9]+[、.．]", "", line))
        and not re.search(r"[：:|]\s*\S", line)
    )


# Figures written without digits: 过半 (more than half), 翻一番 / 翻两番 (doubled, quadrupled).
_SPECIAL_RE = re.compile(r"过半|一半|翻(?:一|两|二|三)番")
_TIMES = {"一": 2, "两": 4, "二": 4, "三": 8}


def _special_figures(s: str, idioms: list[tuple[int, int]]) -> list[Figure]:
    out = []
    for m in _SPECIAL_RE.finditer(s):
        if _in_idiom(idioms, m.start(), m.end()):
            continue
        word = m.group()
        start = m.start()
        if word == "过半":
            q = Quantity(Decimal(50), Decimal(50), Decimal(100), False, True, "%", "over")
        elif word == "一半":  # 近一半, 超过一半: half, with its prefix qualifier; a bare 一半 is not a claim
            pre = prefix_before(s, m.start())
            if pre is None:
                continue
            qualifier, inclusive = resolve_qualifier("exact", pre[1], None)
            q = build(Decimal(50), Decimal(1), qualifier, "%", inclusive_bound=inclusive)
            start = m.start() - len(pre[0])
        else:
            v = Decimal(_TIMES[word[1]])
            q = Quantity(v, v, v, True, True, "倍", "exact")
        out.append(
            Figure(
                start=start,
                num_start=m.start(),
                end=m.end(),
                quantity=q,
                unit_surface="",
                claim_unit=True,
                numeral=word,
                chinese=True,
                bare=False,
                marked=True,
                prefix="",
            )
        )
    return out


def _idiom_mask(s: str) -> list[tuple[int, int]]:
    return [m.span() for m in _IDIOM_RE.finditer(s)]


def _in_idiom(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    import bisect

    k = bisect.bisect_right(spans, (a, 10**18)) - 1
    for j in (k, k + 1):
        if 0 <= j < len(spans):
            x, y = spans[j]
            if x < b and a < y:
                return True
    return False


def _skip_reason(s: str, fig: Figure, idioms: list[tuple[int, int]]) -> str | None:
    """Why this figure is not a claim, or None if it is one."""
    q = fig.quantity
    num_end = fig.num_start + len(fig.numeral)
    before = s[fig.start - 1] if fig.start > 0 else ""
    after_num = s[num_end] if num_end < len(s) else ""
    if not fig.claim_unit:
        return "date, time, duration or age"
    if before == "第" or (before == " " and fig.start > 1 and s[fig.start - 2] == "第"):
        return "ordinal"
    after = s[fig.end] if fig.end < len(s) else ""
    if before in _LABEL_JOINERS or after_num in _LABEL_JOINERS or after in _LABEL_JOINERS:
        return "label (8+1+1)"
    if (before.isascii() and before.isalpha()) or (
        after_num.isascii() and after_num.isalpha() and not fig.unit_surface
    ):
        return "model number or code"
    if before == "." and not fig.chinese:
        return "numbering (1.2.3)"
    if (before in "-/" and fig.start > 1 and s[fig.start - 2].isdigit()) or re.match(
        r"[:：]\d\d", s[fig.end : fig.end + 3]
    ):
        return "timestamp (2024-06-26 20:05)"
    if _in_idiom(idioms, fig.start, fig.end):
        return "idiom or slogan"
    if fig.bare and before in "（(" and after in "）)" and fig.start > 0:
        return "unit of a label (金额（万元）)"
    if fig.bare and not fig.prefix and q.qualifier == "exact" and not _bare_figure(s, fig):
        return "bare multiplier (千家万户, 百业兴)"
    if (
        fig.chinese
        and fig.numeral in ("一", "壹")
        and q.qualifier == "exact"
        and q.unit in COUNT_UNITS
        and not _counted_one(s, fig)
    ):
        return "article (一名患者, 一批)"
    if fig.chinese and fig.unit_surface == "期" and q.qualifier == "exact":
        return "phase label (一期, 二期)"
    if not fig.unit_surface and q.unit != "%":
        has_big_multiplier = (q.value >= 10000 and fig.marked and not fig.numeral.isdigit()) or (
            fig.numeral.replace(".", "").isdigit() and fig.end > fig.num_start + len(fig.numeral)
        )
        if not has_big_multiplier and not counted_noun_unit(s, fig):
            return "number without a unit"
    if fig.fragment_end_word in ("以上", "以下") and _CATEGORY_RE.match(s, fig.end):
        return "category label (亿元以上项目)"
    if before and before in _QUOTES_OPEN:
        close = next((k for k in range(fig.end, min(len(s), fig.end + 6)) if s[k] in _QUOTES_CLOSE), None)
        if close is not None:
            return "quoted label (“两个维护”)"
    return None


_PERSON_NOUNS = (
    "农村劳动力 劳动力 群众 学生 学子 患者 病人 游客 人才 干部 教师 医生 医护人员 村民 农牧民 农民 牧民 居民 市民 人口 "
    "职工 员工 工人 儿童 妇女 老人 孤儿 家庭成员 务工人员 就业 务工 参训学员 学员 志愿者 青少年 新生"
).split()
_PERSON_NOUN_AFTER_RE = re.compile("|".join(sorted(_PERSON_NOUNS, key=len, reverse=True)))
_PERSON_NOUN_BEFORE_RE = re.compile(
    "(?:" + "|".join(sorted(_PERSON_NOUNS, key=len, reverse=True)) + r")[\u4e00-\u9fff]{0,4}$"
)
_HOUSEHOLD_BEFORE_RE = re.compile(r"(?:农户|贫困户|脱贫户|监测户|易地搬迁户|家庭)[\u4e00-\u9fff]{0,4}$")
_PERSON_TIMES_BEFORE_RE = re.compile(r"人次[\u4e00-\u9fff]{0,4}$")
_FIGURE_END = set("，,。；;、！？!?）)\n") | {""}
_CREATE_VERBS = re.compile(
    r"(?:新建|建成|援建|修建|打造|成立|创建|设立|建立|组建|开通|引进|落地|捐建|捐赠|购置|配备|开设|开办|新增|新开|培育)$"
)
_NOT_COUNTED_ONE = frozenset(
    {"批", "批次", "次", "种", "类", "期", "番", "场", "轮", "份", "件", "对", "组", "队"}
)


def counted_noun_unit(s: str, fig: Figure) -> str:
    """The unit a figure without a classifier takes from the noun it counts: 农村劳动力转移就业3200 →
    人, 接待旅游人次120万 → 人次, 3000多市民 → 人, 帮扶农户1200 → 户; "" if none."""
    if fig.unit_surface or fig.quantity.unit or (fig.chinese and not fig.marked):
        return ""
    nxt = s[fig.end] if fig.end < len(s) else ""
    a = fig.start
    while a > 0 and fig.start - a < 14 and s[a - 1] not in _CLAUSE_END:
        a -= 1
    before = s[a : fig.start]
    label = label_before(s, fig.start)
    if label:
        before = label  # 培训人次：3100余, 活动参与人次 | 7100: the label names the unit
        if nxt in _FIGURE_END or nxt in " |\t":
            nxt = ""
    if _PERSON_NOUN_AFTER_RE.match(s, fig.end):
        return "人"
    if nxt not in _FIGURE_END:
        return ""
    if label:
        unit = _label_unit(label)
        if unit:
            return unit  # 专题招商活动（次） | 5
    if _PERSON_TIMES_BEFORE_RE.search(before):
        return "人次"
    if _HOUSEHOLD_BEFORE_RE.search(before):
        return "户"
    if _PERSON_NOUN_BEFORE_RE.search(before) and not _MONEY_WORDS_RE.search(before):
        return "人"
    return ""


_LABEL_RE = re.compile(r"([\u4e00-\u9fff“”\"（）()·A-Za-z%％]{2,24})[ \t]*(?:：|:|\|)[ \t]*$")


_LABEL_UNIT_RE = re.compile(r"[（(]\s*(人次|人|次|场|场次|个|家|项|期|例|所|户|名|%|％)\s*[）)]$")
_LABEL_UNIT_BASE = {"名": "人", "％": "%"}


def _label_unit(label: str) -> str:
    """The unit a label gives in parentheses (义诊受益群众（人次）, 援疆资金拨付率（%）); "" if none.
    Only units without a factor: a value under 金额（万元） is not read."""
    m = _LABEL_UNIT_RE.search(label)
    if not m:
        return ""
    return _LABEL_UNIT_BASE.get(m.group(1), m.group(1))


def label_phrase(s: str, i: int) -> str:
    """The label before a value at ``i`` without its unit in parentheses (义诊受益群众（人次） → 义诊受益群众)."""
    return _LABEL_UNIT_RE.sub("", label_before(s, i))


def label_before(s: str, i: int) -> str:
    """The label of a label–value line or table row (培训人次：3100余, 义诊 | 2500余人次) whose value
    starts at ``i``; "" when the figure is not the value of such a line."""
    a = s.rfind("\n", 0, i) + 1
    m = _LABEL_RE.search(s, a, i)
    if m is None or m.end() != i or len(s[a : m.start()].strip(" \t-•·*📌▶►●◆■")) > 0:
        return ""
    return m.group(1)


def _bare_figure(s: str, fig: Figure) -> bool:
    """百万人, 千万元 (a bare multiplier of at least 万 with a unit, closing its phrase) is a figure."""
    nxt = s[fig.end] if fig.end < len(s) else ""
    return bool(fig.unit_surface) and fig.quantity.value >= 10000 and nxt in _FIGURE_END


def _counted_one(s: str, fig: Figure) -> bool:
    """新建一所学校, 成立一个联盟: 一 + classifier after a verb of creation counts (not an article)."""
    if fig.unit_surface in _NOT_COUNTED_ONE:
        return False
    if s.startswith(fig.unit_surface, fig.end):  # 一个个, 一棵棵
        return False
    return bool(_CREATE_VERBS.search(s[max(0, fig.start - 4) : fig.start]))


def _bounds(s: str, i: int, j: int, ends: set[str]) -> tuple[int, int]:
    a = i
    lo = max(0, i - _WINDOW)
    while a > lo and s[a - 1] not in ends:
        a -= 1
    b = j
    hi = min(len(s), j + _WINDOW)
    while b < hi and s[b] not in ends:
        b += 1
    return a, b


def _make_claim(text: str, s: str, fig: Figure, prev_end: int = 0) -> Claim:
    q = fig.quantity
    sa, sb = _bounds(s, fig.start, fig.end, _SENT_END)
    ca, cb = _bounds(s, fig.start, fig.end, _CLAUSE_END)
    lead = s[max(ca, prev_end) : fig.start]
    label = label_before(s, fig.start)
    if label:
        lead = _LABEL_UNIT_RE.sub("", label)  # a label–value line: the label is what the value counts
    tail = s[fig.end : cb]
    metric = _metric_phrase(lead, tail, q.unit, fig)
    unit = q.unit or (_label_unit(label) if label else "")
    if not unit and _MONEY_WORDS_RE.search(metric or lead[-12:]):
        unit = "元"
    if not unit:
        unit = counted_noun_unit(s, fig)
    modality = _modality(s, fig, sa, ca, cb, lead, tail, metric, unit)
    return Claim(
        fragment=text[fig.start : fig.end],
        start=fig.start,
        end=fig.end,
        metric_phrase=metric,
        value=q.value,
        low=q.low,
        high=q.high,
        unit=unit,
        qualifier=q.qualifier,
        modality=modality,
        sentence=text[sa:sb].strip(),
        low_inclusive=q.low_inclusive,
        high_inclusive=q.high_inclusive,
    )


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _noun_after(tail: str) -> str:
    k = 0
    while k < len(tail) and k < 12 and _is_cjk(tail[k]):
        if k > 0 and _STOP_AFTER_RE.match(tail, k):
            break
        if k == 0 and _STOP_AFTER_RE.match(tail, 0):
            return ""
        k += 1
    return tail[:k]


def _metric_phrase(lead: str, tail: str, unit: str, fig: Figure) -> str:
    """The noun phrase the figure counts or measures."""
    if fig.unit_surface in PLACE_UNITS:
        return fig.unit_surface  # 等9省市, 全州6市
    if not fig.unit_surface and unit in ("人", "人次", "户"):
        noun = _PERSON_NOUN_AFTER_RE.match(tail)
        if noun:
            return noun.group()  # 3000多市民参加
    if unit in COUNT_UNITS or unit in ("人", "人次", "户"):
        noun = _noun_after(tail)
        if len(noun) >= 1 and fig.unit_surface:
            return noun
    if unit == "%" and tail and _is_cjk(tail[0]):
        verb = _RATE_VERB_RE.match(tail)
        if verb:
            return verb.group() + "率"  # 100%开工 → 开工率
    phrase = _lead_phrase(lead)
    if phrase:
        return phrase
    return _noun_after(tail)


def _lead_phrase(lead: str) -> str:
    # the last list item: the part after 等, 、, 的, a closing quote, or a date / number
    cuts = [0] + [m.end() for m in _CUT_RE.finditer(lead)]
    seg = ""
    for k in range(len(cuts) - 1, -1, -1):  # the last non-empty segment (由2021年的23.6% → 由 …)
        end = len(lead) if k == len(cuts) - 1 else _CUT_RE.search(lead, cuts[k]).start()
        seg = _TRAILING_NEUTRAL.sub("", lead[cuts[k] : end].strip())
        seg = "".join(ch for ch in seg if _is_cjk(ch) or ch.isalnum())
        if seg:
            break
    inner = None
    for m in _INNER_CUT_RE.finditer(seg):
        inner = m
    if inner is not None and len(seg) - inner.end() >= 2:
        seg = seg[inner.end() :]
    # the object of the last action verb (捐赠|启动资金), else the phrase without its leading verbs
    last = None
    for m in _ACTION_RE.finditer(seg):
        last = m
    if last is not None:
        rest = _TRAILING_NEUTRAL.sub("", seg[last.end() :])
        if len(rest) >= 3 and rest not in _GENERIC_NOUNS:
            seg = rest
        else:
            while True:
                m = _ACTION_RE.match(seg)
                if not m or len(seg) - m.end() < 3:
                    break
                seg = seg[m.end() :]
    seg = _LEADING_NOISE.sub("", seg) or seg
    return seg[-16:]


def _marker_in(text: str) -> str | None:
    """The modality of the rightmost marker in ``text``."""
    best = None
    for m in _MARKER_RE.finditer(text):
        w = m.group()
        prev = text[m.start() - 1] if m.start() > 0 else ""
        if prev in _NOT_MARKER_BEFORE.get(w, ()):
            continue
        if _MARKER_OF[w] == "target" and _SHARE_OF_RE.match(text, m.end()):
            continue  # 完成年度目标任务的81.7%: a share of the target, achieved
        best = _MARKER_OF[w]
    return best


def _modality(
    s: str, fig: Figure, sa: int, ca: int, cb: int, lead: str, tail: str, metric: str, unit: str
) -> str:
    own = _marker_in(s[ca : fig.start])
    if own:
        return own
    if _ABILITY_RE.search(s[ca : fig.start]):
        return "capacity"  # 年出栏能力达4000头
    clause = s[ca:cb]
    if unit in _AREA_UNITS and _FUTURE_RE.search(s[fig.end : _bounds(s, fig.end, fig.end, _SENT_END)[1]]):
        return "capacity"  # 新校区建筑面积3.6万平方米，…，将于明年投入使用
    if unit == "%" and "用于" in clause:
        return "target"  # 援疆资金的80%以上用于基层和民生: a rule for the money's use, not a result
    future = _FUTURE_RE.search(clause)
    if future:
        if unit in _AREA_UNITS:
            return "capacity"  # the size of a facility to be delivered
        if ca + future.start() < fig.start:
            # 将新建 / 将投资 …: what is to be built or spent is planned; its outcomes are expected
            if _PLAN_VERB_RE.search(future.group()) and not _OUTCOME_RE.search(metric):
                return "planned"
            return "expected"
        if unit in MONEY_UNITS:
            return "planned"  # the investment in what is to be delivered
    if "总投资" in metric and not re.search(r"完成|到位|实际", lead):
        return "planned"
    inherited = _governing_plan(s, sa, ca, metric)
    if inherited and not _DONE_RE.search(s[ca : fig.start]):
        return inherited
    if _ACTION_RE.search(clause):
        return "actual"
    # a verbless clause (年产值约2000万元) inherits from the preceding clauses of its sentence
    end = ca
    for _ in range(3):
        if end <= sa or s[end - 1] not in "，,":
            break
        pa, _pb = _bounds(s, end - 1, end - 1, _CLAUSE_END)
        prev = s[pa : end - 1]
        mark = _marker_in(prev)
        if mark:
            if mark == "planned" and _OUTCOME_RE.search(metric):
                return "expected"
            return mark
        if _ACTION_RE.search(prev):
            break
        end = pa
    return "actual"


# 计划 governs as a verb (计划再举办…), not as the attribute of a figure (计划总投资超3亿元，拉动就业…)
_GOVERNING_RE = re.compile(
    r"力争|确保|目标是|下一步|计划(?!总投资|投资|总额|资金|金额|用地|面积|工期|产能)|"
    r"将(?:继续|进一步|持续|全力|着力|重点|加快|大力)"
)
_DONE_RE = re.compile(r"已|已经|实际|累计|建成|完成了|实现了")


def _governing_plan(s: str, sa: int, ca: int, metric: str) -> str | None:
    """A plan or target that an earlier clause of the sentence opened (今年将…，力争…，全年培训…人次以上;
    下一步计划再举办…次) governs the later clauses, up to a semicolon."""
    start = max(sa, s.rfind("；", sa, ca) + 1, s.rfind(";", sa, ca) + 1)
    before = s[start:ca]
    found = None
    for m in _GOVERNING_RE.finditer(before):
        found = m
    if found is None:
        return None
    w = found.group()
    if w in ("力争", "确保", "目标是"):
        return "target"
    if _OUTCOME_RE.search(metric):
        return "expected"
    return "planned"


def _dedupe(s: str, found: list[tuple[Figure, Claim]]) -> list[Claim]:
    """Drop the claims of a paragraph that repeats (or is a truncated copy of) an earlier one."""
    paras: list[tuple[int, str]] = []
    for m in re.finditer(r"[^\n]+", s):
        body = m.group()
        stripped = body.strip()
        if stripped:
            paras.append((m.start() + (len(body) - len(body.lstrip())), stripped))
    if len(paras) < 2:
        return [c for _, c in found]
    dup_of: dict[int, int] = {}  # paragraph start → start of the earlier paragraph it repeats
    by_key: dict[str, list[tuple[int, str]]] = {}
    exact: dict[str, int] = {}
    for start, body in paras:
        if body in exact:
            dup_of[start] = exact[body]
        elif len(body) >= 10:
            for ostart, obody in by_key.get(body[:10], [])[:50]:
                if obody.startswith(body):
                    dup_of[start] = ostart
                    break
        if start not in dup_of:
            exact.setdefault(body, start)
            by_key.setdefault(body[:10], []).append((start, body))
    if not dup_of:
        return [c for _, c in found]
    starts = [p for p, _ in paras]
    import bisect

    claim_offsets: dict[int, set[tuple[int, str]]] = {}
    para_of: list[int] = []
    for fig, c in found:
        p = starts[bisect.bisect_right(starts, fig.start) - 1] if starts and fig.start >= starts[0] else -1
        para_of.append(p)
        claim_offsets.setdefault(p, set()).add((fig.start - p, c.fragment))
    out = []
    for (fig, c), p in zip(found, para_of, strict=True):
        orig = dup_of.get(p)
        if orig is not None and (fig.start - p, c.fragment) in claim_offsets.get(orig, set()):
            continue
        out.append(c)
    return out
