"""cnnum — Chinese figures written honestly and read back from free text (pure Python, no Django).

>>> from yuanjiang.cnnum import parse, format_figure
>>> format_figure(2531, "人次")
'2500余人次'
>>> q = parse("2500余人次")
>>> q.contains(2531), q.unit, q.qualifier
(True, '人次', 'more_than_approx')

See docs/cnnum.md.
"""

from .extract import MAX_CHARS, MODALITIES, Claim, TextTooLarge, extract_claims
from .format import format_figure
from .parse import parse
from .quantity import QUALIFIERS, ParseError, Quantity

__all__ = [
    "MAX_CHARS",
    "MODALITIES",
    "QUALIFIERS",
    "Claim",
    "ParseError",
    "Quantity",
    "TextTooLarge",
    "extract_claims",
    "format_figure",
    "parse",
]
