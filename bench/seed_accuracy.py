"""Precision and recall of the claims extractor against the seed's hand annotation.

    .venv/bin/python bench/seed_accuracy.py [-v]

The seed is looked up in ``$YJ_SHARED_DIR/seed`` or else ``../shared/seed`` beside the repository, and
falls back to the copy kept in ``tests/cnnum/data/seed``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from yuanjiang.cnnum import extract_claims  # noqa: E402
from yuanjiang.cnnum.evaluate import load_annotation, score, seed_files, shared_dir  # noqa: E402


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    pairs = seed_files(ROOT) or seed_files(ROOT, ROOT / "tests" / "cnnum" / "data" / "seed")
    if not pairs:
        print(f"no seed found in {shared_dir(ROOT) / 'seed'} (set YJ_SHARED_DIR)", file=sys.stderr)
        return 2
    total_m = total_e = total_a = 0
    for txt, ann in pairs:
        text = txt.read_text(encoding="utf-8-sig")
        claims = extract_claims(text)
        s = score(text, claims, load_annotation(ann))
        total_m += len(s.matched)
        total_e += s.extracted
        total_a += s.annotated
        print(f"{txt.name}: extracted {s.extracted}, annotated {s.annotated}, matched {len(s.matched)}")
        print(
            f"  precision {s.precision:.3f}  recall {s.recall:.3f}  modality agreement {s.modality_agreement:.3f}"
        )
        for a in s.missed:
            print(f"  MISSED  {a.fragment}  {a.value} {a.unit} {a.qualifier}")
        for c in s.extra:
            print(f"  EXTRA   {c.fragment}  {c.value} {c.unit} {c.qualifier}  @{c.start}")
        if verbose:
            for a, c in s.matched:
                flag = (
                    "" if a.modality == c.modality else f"   (modality {c.modality}, annotated {a.modality})"
                )
                print(f"  ok      {c.fragment:<12} {c.metric_phrase}{flag}")
    p = total_m / total_e if total_e else 1.0
    r = total_m / total_a if total_a else 1.0
    print(f"TOTAL precision {p:.3f} recall {r:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
