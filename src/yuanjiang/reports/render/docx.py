"""Word (DOCX) through python-docx, in the look of a Chinese official document (GB/T 9704-2012):
A4, margins 37/35/28/26 mm, title in 方正小标宋 (二号), headings in 黑体, body in 仿宋_GB2312 三号 (16 pt)
with a fixed 28.9 pt line, page numbers "— 1 —" in 宋体 四号 on the outer side (odd right, even left).
Each official font is named with its fallbacks (the font table's altName), so Word substitutes 黑体 /
仿宋 / 楷体 where the 方正 or _GB2312 fonts are not installed."""

import io
import re

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from yuanjiang.reports.render import fonts

LATIN = "Times New Roman"
TITLE_FONT, HEADING_FONT, BODY_FONT, SUBTITLE_FONT, NUMBER_FONT = (
    fonts.TITLE[0],
    fonts.HEADING[0],
    fonts.BODY[0],
    fonts.SUBTITLE[0],
    fonts.PAGE_NUMBER[0],
)
# Font table entries: the official font → what Word uses when it is missing.
ALT_NAMES = {
    "方正小标宋简体": "黑体",
    "仿宋_GB2312": "仿宋",
    "楷体_GB2312": "楷体",
    "黑体": "SimHei",
    "宋体": "SimSun",
}


def _font(run, east_asia: str, size: float | None = None, bold: bool | None = None):
    run.font.name = LATIN
    rfonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asia)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold


def _paragraph(doc_or_cell, *, align=None, indent=True, space_after=0):
    p = doc_or_cell.add_paragraph()
    fmt = p.paragraph_format
    if align is not None:
        p.alignment = align
    fmt.first_line_indent = Pt(fonts.BODY_PT * 2) if indent else Pt(0)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(space_after)
    return p


def _page_number(paragraph):
    def run(text=None):
        r = paragraph.add_run(text)
        _font(r, NUMBER_FONT, fonts.PAGE_NUMBER_PT)
        return r

    run("— ")
    r = run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = " PAGE "
        else:
            el = OxmlElement("w:t")
            el.text = text
        r._element.append(el)
    run(" —")


def _font_table(document):
    """Name each official font's fallback in word/fontTable.xml (w:altName)."""
    for part in document.part.package.iter_parts():
        if str(part.partname) != "/word/fontTable.xml":
            continue
        blob = part.blob.decode("utf-8")
        entries = "".join(
            f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
            f'<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
            for name, alt in ALT_NAMES.items()
            if f'w:name="{name}"' not in blob
        )
        blob = re.sub(r"(</w:fonts>)", entries + r"\1", blob, count=1)
        if hasattr(part, "_element"):
            from docx.oxml import parse_xml

            part._element = parse_xml(blob.encode("utf-8"))
        else:
            part._blob = blob.encode("utf-8")


def _setup(document):
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(fonts.MARGINS_MM["top"])
    section.bottom_margin = Mm(fonts.MARGINS_MM["bottom"])
    section.left_margin = Mm(fonts.MARGINS_MM["left"])
    section.right_margin = Mm(fonts.MARGINS_MM["right"])
    section.footer_distance = Mm(28)
    normal = document.styles["Normal"]
    normal.font.name = LATIN
    normal.font.size = Pt(fonts.BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(fonts.LINE_PT)
    pf.space_before = pf.space_after = Pt(0)
    pf.widow_control = True
    # Page numbers on the outer side: odd pages right, even pages left.
    document.settings.odd_and_even_pages_header_footer = True
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = align
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.left_indent = p.paragraph_format.right_indent = Pt(fonts.PAGE_NUMBER_PT)
        _page_number(p)
    _font_table(document)


def _table(document, header: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            p = cell.paragraphs[0]
            p.paragraph_format.first_line_indent = Pt(0)
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT if c == 0 and r else WD_ALIGN_PARAGRAPH.CENTER
            _font(p.add_run(value), HEADING_FONT if r == 0 else BODY_FONT, 10.5, bold=r == 0)
    return table


def render(report) -> bytes:
    document = Document()
    _setup(document)
    core = document.core_properties
    core.title = report.title
    core.author = "援疆成效台账"
    core.comments = f"统计期 {report.period.token}"

    p = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    p.paragraph_format.line_spacing = Pt(36)
    for i, text in enumerate(report.title_lines):
        run = p.add_run(text)
        _font(run, TITLE_FONT, fonts.TITLE_PT, bold=False)
        if i < len(report.title_lines) - 1:
            run.add_break()
    if report.subtitle:
        p = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        _font(p.add_run(report.subtitle), SUBTITLE_FONT, fonts.BODY_PT)
    _paragraph(document, indent=False)  # a blank line after the title, as official texts have

    for section in report.sections:
        p = _paragraph(document)
        p.paragraph_format.keep_with_next = True
        _font(p.add_run(section.heading), HEADING_FONT, fonts.BODY_PT)
        for line in section.lines:
            p = _paragraph(document, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
            for part in line.parts:
                text = part if isinstance(part, str) else part.display
                _font(p.add_run(text), BODY_FONT, fonts.BODY_PT)
            if line.has_target:
                notes = []
                for f in line.figures:
                    if f.target is None:
                        continue
                    note = f"{f.label}目标{f.target_display}"
                    if f.completion:
                        note += f"，完成{f.completion}"
                    if f.behind:
                        note += "，未达目标"
                    notes.append(note)
                _font(p.add_run("（" + "；".join(notes) + "）"), SUBTITLE_FONT, fonts.BODY_PT)

    if report.rollup:
        p = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        p.paragraph_format.space_before = Pt(12)
        _font(p.add_run("各援疆项目组情况"), HEADING_FONT, fonts.BODY_PT)
        header = ["指标", *[pr.provider.short_name or pr.name for pr in report.rollup.programs], "合计"]
        rows = [
            [row.metric.label, *[d for d, _url in row.displays()], row.total_display]
            for row in report.rollup.rows
        ]
        _table(document, header, rows)

    p = _paragraph(document, indent=False)
    p.paragraph_format.space_before = Pt(18)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _font(
        p.add_run(
            f"数据来源：援疆成效台账，按记录计算；统计期 {report.period.start:%Y-%m-%d} 至 "
            f"{report.period.end:%Y-%m-%d}；生成于 {report.generated_at:%Y-%m-%d %H:%M}。"
        ),
        BODY_FONT,
        10.5,
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
