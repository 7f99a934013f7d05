"""Units and classifiers: what a figure counts or measures, and its base unit.

A surface unit maps to ``(base unit, factor)``; 万 and 亿 are multipliers of the numeral, not units,
so 万元 is read as 万 × 元. Units listed in :data:`NON_CLAIM_UNITS` mark dates, durations and ages: a
figure ending in one of them is not a claim (2024年, 9月1日, 60岁).
"""

from __future__ import annotations

from decimal import Decimal

# surface → (base unit, factor to the base unit)
UNITS: dict[str, tuple[str, Decimal]] = {}


def _add(base: str, *surfaces: str, factor: str = "1") -> None:
    for s in surfaces or (base,):
        UNITS[s] = (base, Decimal(factor))


# money
_add("元", "元", "块钱")
_add("美元")
_add("欧元")
_add("港元")
# people
_add("人", "人", "名", "位")
_add("人次", "人次", "名次", "位次")
_add("户")
_add("户次")
# counts (classifiers)
for _c in (
    "个",
    "家",
    "家次",
    "次",
    "场",
    "场次",
    "条",
    "项",
    "所",
    "台",
    "台套",
    "套",
    "批",
    "批次",
    "期",
    "座",
    "栋",
    "幢",
    "间",
    "张",
    "辆",
    "件",
    "支",
    "篇",
    "部",
    "本",
    "册",
    "份",
    "例",
    "株",
    "棵",
    "头",
    "只",
    "匹",
    "羽",
    "门",
    "节",
    "堂",
    "轮",
    "处",
    "种",
    "类",
    "校",
    "对",
    "组",
    "队",
    "款",
    "宗",
    "笔",
    "份次",
    "课时",
    "学时",
    "小时",
    "条次",
    "架次",
    "车次",
    "班次",
    "期次",
    "盏",
    "眼",
    "口",
    "艘",
    "架",
    "顶",
    "把",
    "双",
    "箱",
    "孔",
    "块",
    "趟",
    "锭",
    "趟次",
    "辆次",
    "艘次",
):
    _add(_c)
# places counted without a classifier (等9省市, 全州6市, 20个乡镇 takes 个): base 个
PLACE_UNITS = (
    "省",
    "省市",
    "省区",
    "省区市",
    "市",
    "县",
    "县市",
    "县市区",
    "县区",
    "区",
    "州",
    "乡",
    "镇",
    "乡镇",
    "村",
    "社区",
)
for _c in PLACE_UNITS:
    _add("个", _c)
# A unit followed by one of these characters is the start of a word, not a unit (3000多市民, 6区域).
_NOT_UNIT_BEFORE = {
    "市": set("民场级区直县值容政委长貌"),
    "区": set("域间县级别位划"),
    "县": set("城级域市区委长情"),
    "州": set("级府市县委长"),
    "省": set("份级区市内外委长"),
    "乡": set("亲村镇贤土愁情"),
    "镇": set("村上级区长党"),
    "村": set("民级集庄组委干落里党"),
    "社区": set("居民级干"),
    "口": set("之岸罩号径"),
    "块": set("钱"),
    "把": set("握关手"),
    "双": set("方边向赢手"),
    "架": set("构"),
}
# measures
_add("平方米", "平方米", "平米", "㎡", "m²", "m2")
_add("平方公里", "平方公里", "平方千米", "km²", "km2")
_add("亩")
_add("公顷")
_add("公里", "公里", "千米", "km")
_add("米")
_add("吨")
_add("千克", "千克", "公斤", "kg")
_add("斤")
_add("立方米", "立方米", "m³")
_add("千瓦", "千瓦", "kW")
_add("兆瓦", "兆瓦", "MW")
_add("千瓦时", "千瓦时", "度电", "kWh")
_add("倍")
# rates
_add("%", "%")
_add("%", "‰", factor="0.1")
_add("百分点", "个百分点", "百分点")

# Figures ending in these are dates, times, durations or ages, never claims.
NON_CLAIM_UNITS: frozenset[str] = frozenset(
    {
        "年",
        "月",
        "日",
        "号",
        "天",
        "周",
        "岁",
        "周岁",
        "个月",
        "个多月",
        "时",
        "点",
        "秒",
        "分钟",
        "世纪",
        "年代",
        "周年",
        "届",
    }
)

# Classifiers that turn a bare 一 into an article ("一名患者", "一批", "一支队伍"): see extract.
COUNT_UNITS: frozenset[str] = frozenset(
    base for base, _ in UNITS.values() if base not in {"元", "美元", "欧元", "港元", "%", "百分点", "倍"}
)

MONEY_UNITS: frozenset[str] = frozenset({"元", "美元", "欧元", "港元"})
PERSON_UNITS: frozenset[str] = frozenset({"人", "人次", "户", "户次"})
RATE_UNITS: frozenset[str] = frozenset({"%", "百分点"})
# Units never written with 万/亿 by the formatter.
UNSCALED_UNITS: frozenset[str] = frozenset({"%", "百分点", "倍"})

_ALL_SURFACES = sorted(set(UNITS) | NON_CLAIM_UNITS, key=len, reverse=True)
MAX_UNIT_LEN = max(map(len, _ALL_SURFACES))


def match_unit(s: str, i: int) -> tuple[str, str, Decimal, bool] | None:
    """The longest unit starting at ``s[i]``: ``(surface, base, factor, is_claim_unit)``."""
    chunk = s[i : i + MAX_UNIT_LEN]
    for surface in _ALL_SURFACES:
        if chunk.startswith(surface):
            nxt = s[i + len(surface)] if i + len(surface) < len(s) else ""
            if nxt and nxt in _NOT_UNIT_BEFORE.get(surface, ()):
                continue
            if surface in NON_CLAIM_UNITS:
                return surface, surface, Decimal(1), False
            base, factor = UNITS[surface]
            return surface, base, factor, True
    return None


def base_unit(surface: str) -> str:
    """The base unit of a surface unit (名 → 人, 平米 → 平方米); unknown units are returned as given."""
    return UNITS.get(surface, (surface, Decimal(1)))[0]
