"""Whose figure is it? The subject of each claim, from the names the product knows (docs/claims.md).

Only the checked work group's own figures are held against its records. A figure whose sentence, up
to it, last names another body — the province (江苏省, 全省), the front command (江苏援伊前方指挥部),
another work group (南京工作组, 盐城), another recipient (伊宁市, 察布查尔县), the prefecture (伊犁州,
全州), the region (自治区, 全疆) or the country (全国) — is that body's: 他方数据. The recipient county
(伊宁县, 全县) is the subject of its own statistics: a figure after 全县 (not 全县18个乡镇, where it only
says whose townships are counted), or after 伊宁县 when no declared metric measures it (地区生产总值,
门诊量). Naming the work group (南通, 工作组, its teams, 我们) makes the figure its own again.

The names come from the reference data: the organizations (names and short names, the city of each
work group), the regions (with short forms: 伊犁哈萨克自治州 → 伊犁州) and the pairings
(org/data/jiangsu-pairings.csv).
"""

from __future__ import annotations

import bisect
import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

OWN = "own"
COUNTY = "county"
OTHER = "other"

KIND_LABELS = {
    "province": "省级",
    "front_command": "前方指挥部",
    "work_group": "其他工作组",
    "prefecture": "州（地区）",
    "region": "自治区",
    "country": "全国",
    "county": "受援县",
    "recipient": "其他受援地",
}

_GENERIC_OWN = ("工作组", "援疆工作组", "我们", "我组", "本组", "工作队")
_GENERIC_OTHER = {
    "全国": "country",
    "全省": "province",
    "全区": "region",
    "全疆": "region",
    "自治区": "region",
    "全州": "prefecture",
    "前方指挥部": "front_command",
    "指挥部": "front_command",
}
_GENERIC_COUNTY = ("全县", "县委", "县政府", "该县")
COUNTY_WIDE = frozenset(_GENERIC_COUNTY)
_NUMBER_NEXT = re.compile(r"(?:共|有|共有|计)?[0-9０-９一二两三四五六七八九十百千]")
# A region's own statistics: whoever writes them, they are the region's figures, not a work group's.
_REGIONAL_STATISTIC = re.compile(
    r"地区生产总值|生产总值|GDP|一般公共预算收入|公共预算收入|财政收入|地方财政|固定资产投资|社会消费品零售总额|"
    r"人均可支配收入|城镇新增就业|新增城镇就业|转移就业|城镇登记失业率|门诊量|住院量|常住人口|户籍人口|"
    r"规上工业增加值|工业增加值|进出口总额|外贸进出口|居民消费价格"
)
_PAIRINGS = Path(__file__).resolve().parents[1] / "org" / "data" / "jiangsu-pairings.csv"


@dataclass(frozen=True)
class Subject:
    kind: str  # OWN, COUNTY or OTHER
    name: str  # the words of the text
    body: str = ""  # what kind of body (KIND_LABELS key)


@dataclass
class Names:
    pattern: re.Pattern
    kinds: dict[str, tuple[str, str]]  # name → (OWN / COUNTY / OTHER, body kind)


def _short_region(name: str) -> list[str]:
    out = [name]
    m = re.match(r"^(.{2,}?)(?:哈萨克|柯尔克孜|蒙古|回族|锡伯|维吾尔)?自治(州|县)$", name)
    if m:
        out.append(m.group(1) + m.group(2))  # 伊犁哈萨克自治州 → 伊犁州, 察布查尔锡伯自治县 → 察布查尔县
    return out


@lru_cache(maxsize=1)
def _pairings() -> tuple[tuple[str, str], ...]:
    try:
        with open(_PAIRINGS, encoding="utf-8") as fh:
            return tuple((r["provider"], r["recipient"]) for r in csv.DictReader(fh))
    except OSError:
        return ()


def _city(provider: str) -> list[str]:
    """南京市江宁区 → 江宁, 苏州张家港市 → 张家港, 南通市 → 南通."""
    m = re.match(r"^(?:.{2}市)?(.{2,4}?)(?:市|区|县)$", provider)
    return [m.group(1)] if m else []


_CACHE: dict[tuple, Names] = {}


def names_for(program) -> Names | None:
    """The names a text may use for the program itself, its recipient county and every other body;
    for a roll-up (no single program) only the words that always name another body (全国, 全州, 全县,
    江苏省 …) — a county's statistics are still the county's."""
    if program is None:
        return _generic()
    key = (program.pk, program.provider_id, program.recipient_region_id)
    if key in _CACHE:
        return _CACHE[key]
    from yuanjiang.org.models import Organization, Region

    kinds: dict[str, tuple[str, str]] = {}
    provider = program.provider
    county = program.recipient_region
    own_org_ids = {provider.pk}
    for name in _GENERIC_OTHER:
        kinds[name] = (OTHER, _GENERIC_OTHER[name])
    for org in Organization.objects.only("name", "short_name", "kind", "path", "parent_id"):
        mine = org.path.startswith(provider.path)
        if mine:
            own_org_ids.add(org.pk)
        body = {"province": "province", "front_command": "front_command"}.get(org.kind, "work_group")
        for n in (org.name, org.short_name):
            if n and len(n) >= 2:
                kinds[n] = (OWN, "") if mine else (OTHER, body)
        if org.kind == "work_group" and org.short_name.endswith("工作组") and len(org.short_name) > 3:
            city = org.short_name[: -len("工作组")]
            kinds[city] = (OWN, "") if mine else (OTHER, "work_group")
    own_city = provider.short_name.removesuffix("工作组") if provider.short_name else ""
    for prov, recipient in _pairings():
        cities = _city(prov)
        own = own_city and own_city in prov
        for c in cities:
            kinds.setdefault(c, (OWN, "") if own else (OTHER, "work_group"))
        for r in _short_region(recipient):
            if r != county.name:
                kinds.setdefault(r, (OTHER, "recipient"))
    for region in Region.objects.exclude(level="township").only("name", "level", "code"):
        for n in _short_region(region.name):
            if region.pk == county.pk:
                kinds[n] = (COUNTY, "county")
            elif county.code.startswith(region.code):
                kinds.setdefault(n, (OTHER, "prefecture" if region.level == "prefecture" else "region"))
            else:
                kinds.setdefault(n, (OTHER, "recipient"))
    for n in _GENERIC_OWN:
        kinds[n] = (OWN, "")
    for n in _GENERIC_COUNTY:
        kinds[n] = (COUNTY, "county")
    if own_city:
        kinds[own_city] = (OWN, "")
        kinds[own_city + "市"] = (OWN, "")
    kinds["江苏省"] = (OTHER, "province")
    kinds["江苏"] = (OTHER, "province")
    pattern = re.compile("|".join(re.escape(n) for n in sorted(kinds, key=len, reverse=True)))
    names = Names(pattern=pattern, kinds=kinds)
    _CACHE.clear()
    _CACHE[key] = names
    return names


@lru_cache(maxsize=1)
def _generic() -> Names:
    kinds: dict[str, tuple[str, str]] = {n: (OTHER, k) for n, k in _GENERIC_OTHER.items()}
    kinds.pop("前方指挥部", None)  # a front command's roll-up: its own name
    kinds.pop("指挥部", None)
    for n in _GENERIC_COUNTY:
        kinds[n] = (COUNTY, "county")
    kinds["江苏省"] = (OTHER, "province")
    pattern = re.compile("|".join(re.escape(n) for n in sorted(kinds, key=len, reverse=True)))
    return Names(pattern=pattern, kinds=kinds)


def mentions(names: Names | None, text: str) -> list[re.Match]:
    """Every name of ``text``, found once per text (the names' pattern is long)."""
    if names is None:
        return []
    return list(names.pattern.finditer(text))


def subject_of(
    names: Names | None, before: str, found: list[re.Match] | None = None, offset: int = 0
) -> Subject | None:
    """The last body ``before`` (the sentence up to the figure) names, or None. ``found`` are the
    text's :func:`mentions` and ``offset`` where ``before`` starts in it (else ``before`` is searched).

    A county name right before the figure (全县18个乡镇) says whose things are counted, not who counts."""
    if names is None:
        return None
    if found is None:
        inside = [(m.start(), m.end(), m.group()) for m in names.pattern.finditer(before)]
    else:
        lo = bisect.bisect_left(found, offset, key=lambda m: m.start()) if found else 0
        end = offset + len(before)
        inside = []
        for m in found[lo:]:
            if m.start() >= end:
                break
            if m.end() <= end:
                inside.append((m.start() - offset, m.end() - offset, m.group()))
    last = None
    for start, stop, word in inside:
        if names.kinds[word][0] == COUNTY and _NUMBER_NEXT.match(before, stop):
            continue  # 全县18个乡镇: whose townships are counted, not who counts
        if not _subject_position(before, start, last):
            continue  # 在世界糖尿病日、全国爱肝日…: a name inside a phrase is no subject
        last = (start, stop, word)
    stat = None
    for m in _REGIONAL_STATISTIC.finditer(before[-30:]):
        stat = m
    if last is None:
        if stat is not None:
            return Subject(COUNTY, stat.group(), "county")
        return None
    start, stop, word = last
    kind, body = names.kinds[word]
    if kind == OWN and stat is not None and before.rfind(stat.group()) > stop:
        return Subject(COUNTY, stat.group(), "county")
    if kind == COUNTY and stat is not None:
        return Subject(COUNTY, word if word in COUNTY_WIDE else "全县", "county")
    if kind == COUNTY and stop == len(before):
        return None
    return Subject(kind, word, body)


_CLAUSE_OPEN = re.compile(
    r"(?:^|[，,。；;：:！？!?\n（(“])\s*(?:据|在|由|经|从|对|而|其中|同时|此外|另外|目前|截至目前|当前)?\s*$"
)


def _subject_position(before: str, i: int, previous: tuple | None) -> bool:
    """A name opens its clause (after 据 / 在 / 其中 …), or directly follows a name that does
    (江苏省南通市): only there does it say whose the clause's figures are."""
    if previous is not None and previous[1] == i:
        return True
    return bool(_CLAUSE_OPEN.search(before[max(0, i - 8) : i]))


def is_statistic(words: str) -> bool:
    return bool(_REGIONAL_STATISTIC.fullmatch(words))
