"""``yuanjiang claims extract FILE [--format json|tsv]`` — no database, no Django."""

from __future__ import annotations

import argparse
import codecs
import json
import os
import sys
from pathlib import Path

from .extract import MAX_CHARS, TextTooLarge, extract_claims

#: Files larger than this are refused before they are read.
MAX_BYTES = 4 * 1024 * 1024

TSV_COLUMNS = (
    "fragment",
    "start",
    "end",
    "metric_phrase",
    "value",
    "low",
    "high",
    "unit",
    "qualifier",
    "modality",
)


class InputError(Exception):
    """A problem with the input, reported on stderr with exit code 2."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="yuanjiang claims extract",
        description="从文本中提取数字表述（数值、区间、单位、限定词、语态）。Extract the numeric claims of a text.",
    )
    p.add_argument("file", metavar="FILE", help="UTF-8 文本文件；“-”表示标准输入")
    p.add_argument("--format", choices=("json", "tsv"), default="json", help="输出格式（默认 json）")
    return p


def _read_bytes(name: str) -> bytes:
    if name == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        path = Path(name)
        if not path.exists():
            raise InputError(f"文件不存在：{name}")
        if not path.is_file():
            raise InputError(f"不是普通文件：{name}")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"文件过大：{name}（{size} 字节），上限为 {MAX_BYTES} 字节；请拆分后分别提取。")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"无法读取文件 {name}：{exc.strerror or exc}") from exc
    if len(data) > MAX_BYTES:
        raise InputError(f"输入过大：{name} 超过 {MAX_BYTES} 字节；请拆分后分别提取。")
    return data


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) → str; anything else → InputError naming the byte offset."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{name}：文件是 UTF-16 编码，请转换为 UTF-8 后再提取。")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        hint = ""
        try:
            data.decode("gb18030")
            hint = "（看起来是 GBK/GB18030 编码）"
        except UnicodeDecodeError:
            pass
        bad = data[exc.start : exc.start + 4].hex(" ")
        raise InputError(
            f"{name}：不是 UTF-8 编码的文本{hint}，第 {exc.start} 字节处无法解码（字节 {bad}）；请转换为 UTF-8 后再提取。"
        ) from None


def _tsv_cell(v: object) -> str:
    if v is None:
        return ""
    return str(v).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    name = "标准输入" if args.file == "-" else args.file
    try:
        text = decode_text(_read_bytes(args.file), name)
        if not text.strip():
            raise InputError(f"{name}：文本为空，没有可提取的内容。")
        if len(text) > MAX_CHARS:
            raise InputError(
                f"{name}：文本过长（{len(text)} 个字符），上限为 {MAX_CHARS} 个字符；请拆分后分别提取。"
            )
        claims = extract_claims(text)
    except (InputError, TextTooLarge) as exc:
        print(f"yuanjiang claims extract: 错误：{exc}", file=sys.stderr)
        return 2
    rows = [c.to_dict() for c in claims]
    out = sys.stdout
    try:
        if args.format == "json":
            out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        else:
            out.write("\t".join(TSV_COLUMNS) + "\n")
            for r in rows:
                out.write("\t".join(_tsv_cell(r[c]) for c in TSV_COLUMNS) + "\n")
        out.flush()
    except BrokenPipeError:  # `... | head`: the reader has gone, which is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
