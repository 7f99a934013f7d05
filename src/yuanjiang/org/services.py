"""Reference data: the region tree and the Jiangsu aid organizations, loaded idempotently from CSV."""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from yuanjiang.org.models import Organization, Region

DATA_DIR = Path(__file__).resolve().parent / "data"

# The parents of 伊宁县 (statistics bureau codes).
PARENT_REGIONS = (
    ("65", "新疆维吾尔自治区", Region.Level.PROVINCE, "自治区", None),
    ("6540", "伊犁哈萨克自治州", Region.Level.PREFECTURE, "自治州", "65"),
)
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


@transaction.atomic
def reference_load() -> LoadResult:
    """Create or update the reference regions and organizations. Safe to run again."""
    result = LoadResult()
    by_code: dict[str, Region] = {}
    for code, name, level, kind, parent in PARENT_REGIONS:
        by_code[code] = _upsert_region(
            result, code, name=name, level=level, kind=kind, parent=by_code.get(parent) if parent else None
        )
    with open(DATA_DIR / "yining-townships.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    county = None
    for row in rows:
        if row["kind"] == "county":
            county = _upsert_region(
                result,
                row["code"],
                name=row["name"],
                level=Region.Level.COUNTY,
                kind="县",
                parent=by_code["6540"],
            )
    for row in rows:
        if row["kind"] == "county":
            continue
        _upsert_region(
            result,
            row["code"],
            name=row["name"],
            level=Region.Level.TOWNSHIP,
            kind=KIND_LABEL.get(row["kind"], row["kind"]),
            parent=county,
            aliases=_aliases(row["note"]),
            note=row["note"],
        )

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
            _upsert_org(
                result,
                f"{slug}-wg",
                name=f"{prefix}·{city}工作组",
                short_name=f"{city}工作组",
                kind="work_group",
                parent=front,
            )
    nantong = Organization.objects.get(slug="nantong-wg")
    for slug, name in NANTONG_TEAMS:
        _upsert_org(result, slug, name=f"南通工作组{name}", short_name=name, kind="team", parent=nantong)
    return result
