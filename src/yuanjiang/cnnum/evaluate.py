"""Scoring extracted claims against a hand annotation (the seed's ``*.claims.tsv``).

An annotated claim is matched by an extracted claim that lies inside an occurrence of the annotated
``sentence_fragment`` in the text and has the same value, unit and qualifier; each claim is matched
at most once. Precision = matched / extracted, recall = matched / annotated.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .extract import Claim


@dataclass(frozen=True)
class Annotated:
    fragment: str
    metric: str
    value: Decimal
    unit: str
    qualifier: str
    modality: str


@dataclass
class Score:
    extracted: int
    annotated: int
    matched: list[tuple[Annotated, Claim]] = field(default_factory=list)
    missed: list[Annotated] = field(default_factory=list)
    extra: list[Claim] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return len(self.matched) / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return len(self.matched) / self.annotated if self.annotated else 1.0

    @property
    def modality_agreement(self) -> float:
        if not self.matched:
            return 1.0
        return sum(a.modality == c.modality for a, c in self.matched) / len(self.matched)


def load_annotation(path: str | os.PathLike[str]) -> list[Annotated]:
    rows = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            rows.append(
                Annotated(
                    fragment=(row.get("sentence_fragment") or row["fragment"]).strip(),
                    metric=row.get("metric", ""),
                    value=Decimal(row["value"]),
                    unit=row["unit"].strip(),
                    qualifier=row["qualifier"].strip(),
                    modality=(row.get("modality") or "actual").strip(),
                )
            )
    return rows


def _occurrences(text: str, frag: str) -> list[tuple[int, int]]:
    out, k = [], text.find(frag)
    while k >= 0 and frag:
        out.append((k, k + len(frag)))
        k = text.find(frag, k + 1)
    return out


def score(text: str, claims: list[Claim], annotation: list[Annotated]) -> Score:
    result = Score(extracted=len(claims), annotated=len(annotation))
    used: set[int] = set()
    for a in annotation:
        spans = _occurrences(text, a.fragment)
        hit = None
        for k, c in enumerate(claims):
            if k in used or c.value != a.value or c.unit != a.unit or c.qualifier != a.qualifier:
                continue
            if any(x <= c.start and c.end <= y for x, y in spans):
                hit = k
                break
        if hit is None:
            result.missed.append(a)
        else:
            used.add(hit)
            result.matched.append((a, claims[hit]))
    result.extra = [c for k, c in enumerate(claims) if k not in used]
    return result


def shared_dir(repo_root: Path) -> Path:
    """The shared folder: ``$YJ_SHARED_DIR``, else ``../shared`` beside the repository."""
    env = os.environ.get("YJ_SHARED_DIR")
    return Path(env) if env else repo_root.parent / "shared"


def corpus_files(repo_root: Path) -> list[tuple[Path, Path]]:
    """The hand-annotated test texts (tests/cnnum/data and data/corpus), (text, annotation) pairs."""
    data = repo_root / "tests" / "cnnum" / "data"
    pairs = []
    for folder in (data, data / "corpus"):
        for txt in sorted(folder.glob("*.txt")):
            ann = txt.with_suffix(".claims.tsv")
            if ann.exists():
                pairs.append((txt, ann))
    return pairs


def seed_files(repo_root: Path, folder: Path | None = None) -> list[tuple[Path, Path]]:
    """(text, annotation) pairs in ``folder`` (default ``<shared>/seed``); empty if it is absent."""
    seed = folder if folder is not None else shared_dir(repo_root) / "seed"
    if not seed.is_dir():
        return []
    pairs = []
    for ann in sorted(seed.glob("*.claims.tsv")):
        txt = ann.with_name(ann.name.removesuffix(".claims.tsv") + ".txt")
        if txt.exists():
            pairs.append((txt, ann))
    return pairs
