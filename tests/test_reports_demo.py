"""The demo's report card reproduces the seed article's figures, in JSON, PDF and DOCX.

The default definition is the whole article: every figure the article gives is checked."""

import io
import json
import shutil
import subprocess

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PROGRAM = "nantong-yining-11"
ARTICLE = "2023-04-01:2024-06-30"
SEED_DISPLAYS = [
    "15个",
    "100%",
    "13次",
    "50余家",
    "9家",
    "10个",
    "11个",
    "超3亿元",
    "400余人",
    "近300万元",
    "118万元",
    "2500余人次",
    "86人次",
    "480万元",
    "3100余人次",
]


def _definition():
    return "default", SEED_DISPLAYS


def _card(tmp_path, fmt, period=ARTICLE, name="default"):
    path = tmp_path / f"card.{fmt}"
    call_command(
        "report",
        "--program",
        PROGRAM,
        "--period",
        period,
        "--definition",
        name,
        "--format",
        fmt,
        "-o",
        str(path),
    )
    return path


def test_demo_report_card_has_the_articles_figures(demo, tmp_path):
    name, expected = _definition()
    payload = json.loads(_card(tmp_path, "json", name=name).read_text())
    lines = [line for s in payload["sections"] for line in s["lines"]]
    text = "\n".join(line["text"] for line in lines)
    for display in expected:
        assert display in text, display
    assert lines[0]["text"].startswith("15个援疆项目实现100%开工")
    if name == "default":
        payload = json.loads(_card(tmp_path, "json", "2024-01-01:2024-06-30", name).read_text())
        signing = next(
            line
            for s in payload["sections"]
            for line in s["lines"]
            if any(f["metric"] == "investment.projects_signed" for f in line["figures"])
        )
        for display in ("3个", "2亿元", "近200人"):
            assert display in signing["text"], display


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_demo_pdf_and_docx_carry_the_same_sentences(demo, tmp_path):
    from docx import Document

    name, _ = _definition()
    sentences = [
        line["text"]
        for s in json.loads(_card(tmp_path, "json", name=name).read_text())["sections"]
        for line in s["lines"]
    ]
    pdf = _card(tmp_path, "pdf", name=name)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts  # the "emb" column
    flat = "".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split()
    )
    docx_text = "\n".join(
        p.text for p in Document(io.BytesIO(_card(tmp_path, "docx", name=name).read_bytes())).paragraphs
    )
    for sentence in sentences:
        assert "".join(sentence.split()) in flat, sentence
        assert sentence in docx_text, sentence
