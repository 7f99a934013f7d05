"""Verdicts of the claims check on annotated texts it was not tuned on (issue 24).

    .venv/bin/python bench/claims_verdicts.py [-v] [--tuning | --all] [--sqlite PATH] [--show-frozen]

Texts: bench/claims_verdicts/frozen/ (default; checked against frozen/SHA256SUMS first),
tuning/ with --tuning, both with --all. Each text is checked like
`./yj claims check FILE --program nantong-yining-11 --period 2023-04-01:2024-06-30` (the text's own
date found in it, nothing else given) against the demo, built in a throw-away SQLite database (or
the demo database given by --sqlite, e.g. var/demo.sqlite3).

Per text it prints how many verdicts are right; the wrong ones are listed for tuning texts only
(--show-frozen lists a frozen text's too: a frozen text whose failures were looked at moves to
tuning/, see bench/claims_verdicts/README.md). Prints, over all annotated claims: verdict accuracy (a claim not extracted counts as wrong), wrong
claims called 相符, false alarms (a claim that is not wrong, or an unannotated extra, flagged
夸大 / 少报 / 与参考数据不符), planted errors flagged, strict extraction precision / recall / F1 and
modality agreement. Targets (issue 24): accuracy >= 0.90, no wrong claim called 相符, at most one
false alarm per 150 claims, >= 9 in 10 planted errors flagged, F1 >= 0.97, modality >= 0.90.
"""

from __future__ import annotations

import csv
import hashlib
import sys
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from benchenv import ROOT, setup_django

DATA = ROOT / "bench" / "claims_verdicts"
FLAGS = ("夸大", "少报", "与参考数据不符")
PROGRAM = "nantong-yining-11"
PERIOD = "2023-04-01:2024-06-30"


@dataclass
class Row:
    fragment: str
    value: Decimal
    unit: str
    qualifier: str
    modality: str
    verdicts: tuple[str, ...]
    metric: str
    reason: str


def load_rows(path: Path) -> list[Row]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [
            Row(
                fragment=r["sentence_fragment"],
                value=Decimal(r["value"]),
                unit=r["unit"].strip(),
                qualifier=r["qualifier"].strip(),
                modality=r["modality"].strip(),
                verdicts=tuple(v.strip() for v in r["verdict"].split("|")),
                metric=r["metric"].strip(),
                reason=r["reason"].strip(),
            )
            for r in csv.DictReader(fh, delimiter="\t")
        ]


def verify_frozen() -> None:
    folder = DATA / "frozen"
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        if hashlib.sha256((folder / name).read_bytes()).hexdigest() != digest:
            raise SystemExit(f"frozen text changed: {name} (see bench/claims_verdicts/README.md)")


def pair(text: str, items: list[dict], rows: list[Row]) -> tuple[list[tuple[Row, dict | None]], list[dict]]:
    """Each annotated claim with the checked item that is it (same value, unit and qualifier, inside
    an occurrence of the fragment), or None; and the items no annotation claims."""
    used: set[int] = set()
    out = []
    for row in rows:
        spans, k = [], text.find(row.fragment)
        while k >= 0:
            spans.append((k, k + len(row.fragment)))
            k = text.find(row.fragment, k + 1)
        hit = None
        for n, it in enumerate(items):
            if n in used or it["unit"] != row.unit or it["qualifier"] != row.qualifier:
                continue
            if it["value"] is None or Decimal(str(it["value"])) != row.value:
                continue
            if any(a <= it["start"] and it["end"] <= b for a, b in spans):
                hit = n
                break
        if hit is not None:
            used.add(hit)
        out.append((row, items[hit] if hit is not None else None))
    return out, [it for n, it in enumerate(items) if n not in used]


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    folders = ["frozen"]
    if "--tuning" in argv:
        folders = ["tuning"]
    elif "--all" in argv:
        folders = ["tuning", "frozen"]
    if "frozen" in folders:
        verify_frozen()
    sqlite = Path(argv[argv.index("--sqlite") + 1]).resolve() if "--sqlite" in argv else None
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir, migrate=sqlite is None, sqlite_path=sqlite)
        from yuanjiang.claims.markup import strip_markup
        from yuanjiang.claims.periods import text_date
        from yuanjiang.claims.services import check_text
        from yuanjiang.metrics.scope import Scope
        from yuanjiang.org.models import Program
        from yuanjiang.org.periods import Period

        if sqlite is None:
            from yuanjiang.demo.services import demo_load

            demo_load()
        scope = Scope(program=Program.objects.get(slug=PROGRAM))
        period = Period.parse(PERIOD)
        total = correct = wrong_as_match = false_alarms = planted = flagged = 0
        extracted = matched = agree = 0
        for folder in folders:
            for txt in sorted((DATA / folder).glob("*.txt")):
                text = txt.read_text(encoding="utf-8")
                rows = load_rows(txt.with_name(txt.stem + ".verdicts.tsv"))
                result = check_text(text, scope, period, text_date(text))
                for row in rows:
                    row.fragment = strip_markup(row.fragment)
                pairs, extra = pair(result.text, result.items, rows)
                ok_here = 0
                lines = []
                for row, it in pairs:
                    total += 1
                    got = it["verdict"] if it else "（未提取）"
                    good = got in row.verdicts
                    ok_here += good
                    correct += good
                    wrong = all(v in FLAGS for v in row.verdicts)  # a planted error
                    if it:
                        matched += 1
                        agree += it["modality"] == row.modality
                    if wrong:
                        planted += 1
                        flagged += got in FLAGS
                        wrong_as_match += got == "相符"
                    elif got in FLAGS and got not in row.verdicts:
                        false_alarms += 1
                    if not good or (verbose and it and it["modality"] != row.modality):
                        label = "WRONG" if not good else "MODALITY"
                        detail = (
                            f"{got} ({it['metric'] or '-'}, {it['period']['label']}, {it['modality']}) {it['note']}"
                            if it
                            else got
                        )
                        lines.append(
                            f"  {label} {row.fragment}: expected {'|'.join(row.verdicts)} "
                            f"({row.metric}, {row.modality}); got {detail}"
                        )
                for it in extra:
                    extracted += 1
                    if it["verdict"] in FLAGS:
                        false_alarms += 1
                    lines.append(f"  EXTRA {it['fragment']} ({it['metric_phrase']}): {it['verdict']}")
                extracted += len(pairs) - sum(it is None for _, it in pairs)
                warn = f" [{' '.join(result.warnings)}]" if result.warnings else ""
                print(f"{folder}/{txt.name}: {ok_here}/{len(rows)} verdicts right{warn}")
                if folder == "tuning" or "--show-frozen" in argv:
                    for line in lines:
                        print(line)
    p = matched / extracted if extracted else 1.0
    r = matched / total if total else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    acc = correct / total if total else 1.0
    mod = agree / matched if matched else 1.0
    print(
        f"TOTAL {total} annotated claims ({', '.join(folders)}): verdict accuracy {acc:.3f}; "
        f"wrong claims called 相符 {wrong_as_match}; false alarms {false_alarms}; "
        f"planted errors flagged {flagged}/{planted}"
    )
    print(f"extraction: precision {p:.3f} recall {r:.3f} F1 {f1:.3f}; modality agreement {mod:.3f}")
    ok = (
        acc >= 0.90
        and wrong_as_match == 0
        and false_alarms <= max(1, total // 150)
        and flagged >= 0.9 * planted
        and f1 >= 0.97
        and mod >= 0.90
    )
    print("targets (issue 24) ->", "OK" if ok else "BELOW TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
