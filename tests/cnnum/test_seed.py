"""The extractor agrees with the seed's hand annotation (precision and recall ≥ 0.97)."""

import pytest

from yuanjiang.cnnum import extract_claims
from yuanjiang.cnnum.evaluate import load_annotation, score, seed_files, shared_dir

from .conftest import DATA, REPO_ROOT

# The seeds in ../shared/seed when present (new seeds land there), else the copy kept with the tests:
# the seed check always runs.
PAIRS = seed_files(REPO_ROOT) or seed_files(REPO_ROOT, DATA / "seed")
assert PAIRS, f"no seed article in {shared_dir(REPO_ROOT) / 'seed'} nor in {DATA / 'seed'}"


@pytest.mark.parametrize(("txt", "ann"), PAIRS, ids=[p[0].name for p in PAIRS])
def test_seed_precision_and_recall(txt, ann):
    text = txt.read_text(encoding="utf-8-sig")
    s = score(text, extract_claims(text), load_annotation(ann))
    report = [f"missed {a.fragment} {a.value}{a.unit} {a.qualifier}" for a in s.missed] + [
        f"extra {c.fragment} @{c.start}" for c in s.extra
    ]
    assert s.precision >= 0.97, report
    assert s.recall >= 0.97, report


def test_seed_repeated_paragraph_reported_once():
    text = PAIRS[0][0].read_text(encoding="utf-8-sig")
    frags = [c.fragment for c in extract_claims(text)]
    assert text.count("投入援疆资金480万元") == 2
    assert frags.count("480万元") == 1
    assert frags.count("86人次") == 1
