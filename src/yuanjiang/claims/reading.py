"""Reading a text to check: pasted, a .txt (UTF-8) or a .docx file. Every refusal is a Chinese message
(:class:`TextError`); nothing is stored before the text has passed."""

from __future__ import annotations

import io
import re
import zipfile

from yuanjiang.cnnum.cli import InputError, decode_text

#: Uploads larger than this are refused before they are read (a report is ~30 KB of text).
MAX_BYTES = 4 * 1024 * 1024
#: A text to check may be at most this long (a long report is ~20 000 characters).
MAX_CHARS = 200_000
#: A .docx whose parts unpack to more than this is refused (a zip bomb), before parsing.
MAX_DOCX_UNPACKED = 50 * 1024 * 1024

_HAS_NUMBER = re.compile(r"[0-9０-９]|[一二两三四五六七八九十百千万亿]")


class TextError(ValueError):
    """The input cannot be checked; the message is for the user (Chinese)."""


def validate_text(text: str, name: str = "文本") -> str:
    if not text or not text.strip():
        raise TextError(f"{name}为空，没有可核对的内容。")
    if len(text) > MAX_CHARS:
        raise TextError(f"{name}过长（{len(text)} 个字符），上限为 {MAX_CHARS} 个字符；请拆分后分别核对。")
    if not _HAS_NUMBER.search(text):
        raise TextError(f"{name}中没有数字，没有可核对的数字表述。")
    return text


def text_from_bytes(data: bytes, filename: str) -> str:
    """The text of an uploaded or named file: .docx by its content, anything else as UTF-8 text."""
    name = filename or "上传的文件"
    if len(data) > MAX_BYTES:
        raise TextError(f"文件过大：{name}（{len(data)} 字节），上限为 {MAX_BYTES} 字节。")
    if filename.lower().endswith(".docx"):
        return validate_text(_docx_text(data, name), name)
    if filename.lower().endswith(".doc"):
        raise TextError(f"{name}：不支持旧版 Word（.doc）文件，请另存为 .docx 或 .txt 后上传。")
    try:
        text = decode_text(data, name)
    except InputError as exc:
        raise TextError(str(exc)) from None
    return validate_text(text, name)


def _docx_text(data: bytes, name: str) -> str:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TextError(f"{name}：不是有效的 .docx 文件（文件不是 zip 格式，可能已损坏或只是改了扩展名）。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_DOCX_UNPACKED:
                raise TextError(f"{name}：文件解压后过大，拒绝读取。")
            if "word/document.xml" not in zf.namelist():
                raise TextError(f"{name}：不是有效的 .docx 文件（缺少正文 word/document.xml）。")
        import docx  # python-docx

        document = docx.Document(io.BytesIO(data))
        paragraphs = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                paragraphs.append("，".join(cell.text for cell in row.cells))
    except TextError:
        raise
    except Exception as exc:  # python-docx / lxml / zipfile raise many kinds on a broken file
        raise TextError(f"{name}：无法读取 .docx 文件（{type(exc).__name__}），文件可能已损坏。") from None
    return "\n".join(paragraphs)
