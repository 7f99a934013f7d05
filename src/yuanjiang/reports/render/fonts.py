"""The fonts of a Chinese official document (GB/T 9704), named with fallbacks: the official fonts
first (方正小标宋 / 黑体 / 仿宋_GB2312 / 楷体), then what Windows and macOS ship, then Noto CJK (Debian's
fonts-noto-cjk), which the PDF embeds when the official fonts are not installed."""

TITLE = ["方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "黑体", "SimHei", "Noto Serif CJK SC"]
HEADING = ["黑体", "SimHei", "Heiti SC", "Noto Sans CJK SC"]
BODY = ["仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC"]
SUBTITLE = ["楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", "Noto Serif CJK SC"]
PAGE_NUMBER = ["宋体", "SimSun", "Noto Serif CJK SC"]


def stack(names: list[str], generic: str = "serif") -> str:
    return ", ".join(f'"{n}"' for n in names) + f", {generic}"


CSS_STACKS = {
    "title": stack(TITLE),
    "heading": stack(HEADING, "sans-serif"),
    "body": stack(BODY),
    "subtitle": stack(SUBTITLE),
    "page_number": stack(PAGE_NUMBER),
}

# GB/T 9704-2012 page: A4, 天头 37 mm, 订口 28 mm; text block 156 × 225 mm.
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
PAGE_NUMBER_PT = 14  # 四号
LINE_PT = 28.9  # 22 lines of 28 characters per page
