"""Reading one figure: ``parse("2500余人次")``."""

from __future__ import annotations

from .numerals import normalize
from .quantity import ParseError, Quantity
from .scan import scan_expression


def parse(text: str) -> Quantity:
    """Parse ONE numeric expression ("2500余人次", "超30亿元", "近200人", "六成", "1至2万名", "100%").

    Returns a :class:`Quantity` (value in the base unit, interval, unit, qualifier). Raises
    :class:`ParseError` if the text is not exactly one figure, or is a date, time or age (2024年,
    9月1日, 60岁).
    """
    if not isinstance(text, str):
        raise ParseError(f"需要文本，得到的是 {type(text).__name__}")
    s = normalize(text).strip()
    if not s:
        raise ParseError("空文本不是数字表达式")
    if len(s) > 64:
        raise ParseError(f"文本过长，不是单个数字表达式：“{s[:20]}…”")
    fig = scan_expression(s)
    if fig is None:
        raise ParseError(f"无法识别的数字表达式：“{s}”")
    if fig.bare and fig.quantity.qualifier == "exact" and not fig.prefix:
        raise ParseError(f"“{s}”没有数字：单独的“万/亿/千万”只在带限定词时表示数量（超亿元、万余名）")
    if not fig.claim_unit:
        raise ParseError(f"“{s}”是日期、时间、时长或年龄，不是数量")
    return fig.quantity
