"""Input hygiene: a text copied from a web page or a WeChat post's source keeps its markup; the check
reads the words only (docs/claims.md, "Markup")."""

from __future__ import annotations

import html
import re

_TAG_NAMES = r"(?:p|span|section|div|br|strong|b|i|em|u|img|h[1-6]|li|ul|ol|table|tbody|thead|tr|td|th|font|a|blockquote|mp-[a-z-]+)"
_HAS_MARKUP = re.compile(r"</?" + _TAG_NAMES + r"\b[^<>]*>", re.IGNORECASE)
_DROP = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_BLOCK = re.compile(
    r"<(?:br|/p|/div|/section|/h[1-6]|/li|/tr|/table|/blockquote)\b[^<>]*>|<(?:p|div|section|h[1-6]|li|tr)\b[^<>]*>",
    re.IGNORECASE,
)
_CELL = re.compile(r"</t[dh]\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[a-zA-Z/!][^<>]*>")
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")


def has_markup(text: str) -> bool:
    return bool(_HAS_MARKUP.search(text))


def strip_markup(text: str) -> str:
    """The text without HTML tags and entities (paragraph and line tags become line breaks, table cells
    a separator); a text without markup is returned unchanged."""
    if not has_markup(text):
        return text
    out = _DROP.sub("", text)
    out = _CELL.sub(" | ", out)
    out = _BLOCK.sub("\n", out)
    out = _TAG.sub("", out)
    out = _ENTITY.sub(lambda m: html.unescape(m.group()), out)
    out = out.replace("\xa0", " ").replace("\u3000", " ")
    out = re.sub(r"[ \t]+\n", "\n", out)
    out = re.sub(r"\n{3,}", "\n\n", out)
    return out.strip("\n")
