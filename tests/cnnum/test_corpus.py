"""The extractor on every hand-annotated text: strict precision / recall and modality agreement."""

from pathlib import Path

from yuanjiang.cnnum import extract_claims
from yuanjiang.cnnum.evaluate import corpus_files, load_annotation, score

ROOT = Path(__file__).resolve().parents[2]


def test_corpus_meets_the_targets():
    pairs = corpus_files(ROOT)
    pairs.append(
        (
            ROOT / "tests/cnnum/data/seed/000_33cfab6a1a367774.txt",
            ROOT / "tests/cnnum/data/seed/000_33cfab6a1a367774.claims.tsv",
        )
    )
    kinds = {txt.stem.split("_")[0] for txt, _ in pairs}
    assert len(pairs) >= 10 and {"yuanjiang", "yuanzang", "dongxi", "dingdian"} <= kinds
    matched = extracted = annotated = agree = 0
    for txt, ann in pairs:
        text = txt.read_text(encoding="utf-8-sig")
        claims = extract_claims(text)
        s = score(text, claims, load_annotation(ann))
        matched += len(s.matched)
        extracted += s.extracted
        annotated += s.annotated
        agree += sum(a.modality == c.modality for a, c in s.matched)
        for c in claims:
            assert text[c.start : c.end] == c.fragment
    assert annotated >= 300
    assert matched / extracted >= 0.97
    assert matched / annotated >= 0.97
    assert agree / matched >= 0.95
