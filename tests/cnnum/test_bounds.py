"""Bad input: a clear message or a bounded-time answer, never a crash or a hang."""

import subprocess
import sys

import pytest

from yuanjiang.cnnum import MAX_CHARS, TextTooLarge, extract_claims


def test_empty_and_blank_text():
    assert extract_claims("") == []
    assert extract_claims(" \n\t ") == []


def test_ten_megabyte_text_is_refused_with_a_message():
    text = "受益群众2500余人次," * (10_000_000 // 12)
    assert len(text) > MAX_CHARS
    with pytest.raises(TextTooLarge) as exc:
        extract_claims(text)
    assert "文本过长" in str(exc.value) and isinstance(exc.value, ValueError)


def test_limit_can_be_lowered():
    with pytest.raises(TextTooLarge):
        extract_claims("12人" * 10, max_chars=10)


@pytest.mark.parametrize(
    "text",
    [
        "1" * 50_000,  # one huge number
        "一" * 20_000,
        "万" * 20_000,
        "数" * 20_000,
        "1+" * 20_000,
        "1,000," * 5_000,
        "近" * 10_000 + "200人",
        "“" * 10_000,
        "\n" * 50_000,
        "。。" * 20_000,
        "百分之" * 5_000,
        "2023-" * 5_000,
    ],
)
def test_pathological_inputs_do_not_crash(text):
    claims = extract_claims(text)
    for c in claims:
        assert text[c.start : c.end] == c.fragment


def test_non_str_is_a_type_error():
    with pytest.raises(TypeError):
        extract_claims("12人".encode())  # type: ignore[arg-type]


def test_cnnum_does_not_import_django():
    code = "import sys, yuanjiang.cnnum, yuanjiang.cnnum.cli; assert 'django' not in sys.modules, 'django'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_no_django_import_in_sources():
    import re
    from pathlib import Path

    import yuanjiang.cnnum as pkg

    pattern = re.compile(r"^\s*(from|import)\s+django", re.M)
    for f in Path(pkg.__file__).parent.glob("*.py"):
        assert not pattern.search(f.read_text(encoding="utf-8")), f
