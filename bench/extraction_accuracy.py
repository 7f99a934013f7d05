"""Strict precision and recall of the claims extractor on the project's hand-annotated texts.

    .venv/bin/python bench/extraction_accuracy.py [-v]

Texts: tests/cnnum/data/*.txt, tests/cnnum/data/corpus/*.txt (援疆, 援藏, 东西部协作, 定点帮扶 reports
written for the tests, each with its hand-written `*.claims.tsv`) and the seed article with its
annotation. A claim counts as found only with the same value, unit and qualifier inside an occurrence
of the annotated fragment (strict); modality agreement is over the claims found. Targets: precision
and recall ≥ 0.97, modality agreement ≥ 0.95.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from yuanjiang.cnnum import extract_claims  # noqa: E402
from yuanjiang.cnnum.evaluate import corpus_files, load_annotation, score, seed_files  # noqa: E402


def totals(verbose: bool = False, out=print) -> tuple[int, float, float, float, int]:
    pairs = corpus_files(ROOT) + (
        seed_files(ROOT) or seed_files(ROOT, ROOT / "tests" / "cnnum" / "data" / "seed")
    )
    matched = extracted = annotated = agree = 0
    for txt, ann in pairs:
        text = txt.read_text(encoding="utf-8-sig")
        s = score(text, extract_claims(text), load_annotation(ann))
        matched += len(s.matched)
        extracted += s.extracted
        annotated += s.annotated
        agree += sum(a.modality == c.modality for a, c in s.matched)
        out(
            f"{txt.parent.name}/{txt.name}: annotated {s.annotated}, extracted {s.extracted}, found {len(s.matched)}, "
            f"modality {s.modality_agreement:.3f}"
        )
        if verbose:
            for a in s.missed:
                out(f"  MISSED  {a.fragment}  {a.value} {a.unit} {a.qualifier}")
            for c in s.extra:
                out(f"  EXTRA   {c.fragment}  {c.value} {c.unit} {c.qualifier}")
            for a, c in s.matched:
                if a.modality != c.modality:
                    out(f"  MODALITY {c.fragment}: {c.modality}, annotated {a.modality}")
    p = matched / extracted if extracted else 1.0
    r = matched / annotated if annotated else 1.0
    m = agree / matched if matched else 1.0
    return annotated, p, r, m, len(pairs)


def main(argv: list[str]) -> int:
    annotated, p, r, m, texts = totals("-v" in argv)
    ok = p >= 0.97 and r >= 0.97 and m >= 0.95
    print(
        f"TOTAL {texts} texts, {annotated} annotated claims: precision {p:.3f} recall {r:.3f} modality {m:.3f}"
    )
    print("targets: precision and recall >= 0.97, modality >= 0.95 ->", "OK" if ok else "BELOW TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
