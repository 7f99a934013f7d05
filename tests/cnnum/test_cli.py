import io
import json
import sys

import pytest

from yuanjiang.cnnum.cli import MAX_BYTES, main

TEXT = "今年以来,工作组开展专题招商活动13次,对接龙头企业50余家,计划总投资超3亿元。"


def run(capsys, argv):
    rc = main(argv)
    out, err = capsys.readouterr()
    return rc, out, err


def test_json(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(TEXT, encoding="utf-8")
    rc, out, err = run(capsys, [str(f), "--format", "json"])
    assert rc == 0 and err == ""
    rows = json.loads(out)
    assert [r["fragment"] for r in rows] == ["13次", "50余家", "超3亿元"]
    assert set(rows[0]) == {
        "fragment", "start", "end", "metric_phrase", "value", "low", "high", "unit", "qualifier", "modality",
    }  # fmt: skip
    r = rows[2]
    assert r["value"] == 300_000_000 and r["low"] == 300_000_000 and r["high"] is None
    assert r["unit"] == "元" and r["qualifier"] == "over" and r["modality"] == "planned"
    assert TEXT[r["start"] : r["end"]] == "超3亿元"
    assert "专题招商活动" in out  # ensure_ascii=False


def test_default_format_is_json(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(TEXT, encoding="utf-8")
    rc, out, _ = run(capsys, [str(f)])
    assert rc == 0 and json.loads(out)[1]["fragment"] == "50余家"


def test_tsv(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(TEXT, encoding="utf-8")
    rc, out, _ = run(capsys, [str(f), "--format", "tsv"])
    lines = out.splitlines()
    assert rc == 0
    assert lines[0].split("\t")[:4] == ["fragment", "start", "end", "metric_phrase"]
    assert lines[2].split("\t")[0] == "50余家"
    assert lines[3].split("\t")[6] == ""  # unbounded high


def test_utf8_with_bom(tmp_path, capsys):
    f = tmp_path / "bom.txt"
    f.write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    rc, out, _ = run(capsys, [str(f)])
    rows = json.loads(out)
    assert rc == 0 and len(rows) == 3
    assert TEXT[rows[0]["start"] : rows[0]["end"]] == "13次"  # offsets into the text, BOM excluded


def test_gbk_file_is_a_clear_error(tmp_path, capsys):
    f = tmp_path / "gbk.txt"
    f.write_bytes(TEXT.encode("gbk"))
    rc, out, err = run(capsys, [str(f)])
    assert rc == 2 and out == ""
    assert "UTF-8" in err and "gbk.txt" in err and "第 0 字节" in err and "GBK" in err
    assert "Traceback" not in err


def test_invalid_byte_offset_is_reported(tmp_path, capsys):
    f = tmp_path / "bad.txt"
    f.write_bytes("受益群众".encode() + b"\xff\xfe" + "2500人次".encode())
    rc, _, err = run(capsys, [str(f)])
    assert rc == 2 and "第 12 字节" in err


def test_utf16_is_named(tmp_path, capsys):
    f = tmp_path / "u16.txt"
    f.write_bytes(TEXT.encode("utf-16"))
    rc, _, err = run(capsys, [str(f)])
    assert rc == 2 and "UTF-16" in err


def test_missing_file(tmp_path, capsys):
    rc, _, err = run(capsys, [str(tmp_path / "nope.txt")])
    assert rc == 2 and "文件不存在" in err and "nope.txt" in err


def test_directory(tmp_path, capsys):
    rc, _, err = run(capsys, [str(tmp_path)])
    assert rc == 2 and "不是普通文件" in err


@pytest.mark.parametrize("content", [b"", b"   \n\n  ", b"\xef\xbb\xbf"])
def test_empty_text(tmp_path, capsys, content):
    f = tmp_path / "empty.txt"
    f.write_bytes(content)
    rc, out, err = run(capsys, [str(f)])
    assert rc == 2 and "为空" in err and out == ""


def test_text_without_claims_is_an_empty_list(tmp_path, capsys):
    f = tmp_path / "none.txt"
    f.write_text("千方百计引客商、招项目。", encoding="utf-8")
    rc, out, _ = run(capsys, [str(f)])
    assert rc == 0 and json.loads(out) == []


def test_too_large_file_is_refused_before_reading(tmp_path, capsys):
    f = tmp_path / "big.txt"
    with open(f, "wb") as fh:
        fh.seek(10 * 1024 * 1024)
        fh.write(b"x")
    assert f.stat().st_size > MAX_BYTES
    rc, _, err = run(capsys, [str(f)])
    assert rc == 2 and "文件过大" in err


def test_stdin(monkeypatch, capsys):
    fake = io.TextIOWrapper(io.BytesIO(TEXT.encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake)
    rc, out, _ = run(capsys, ["-", "--format", "json"])
    assert rc == 0 and len(json.loads(out)) == 3


def test_bad_format_option_exits_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main([str(tmp_path / "x"), "--format", "xml"])
    assert exc.value.code == 2
