"""Hostile files for the import limits (tests/test_hostile_files.py): each built in memory, small."""

from __future__ import annotations

import io
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def workbook(sheet_xml: bytes | str, *, level: int = 9) -> bytes:
    """A minimal .xlsx whose one sheet ("台账") is sheet_xml (a complete worksheet document)."""
    if isinstance(sheet_xml, str):
        sheet_xml = sheet_xml.encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buf.getvalue()


def sheet(rows_xml: str, dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"{SHEET_HEAD}{dim}<sheetData>{rows_xml}</sheetData></worksheet>"


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sparse(last: str = "XFD1048576", dimension: str | None = "A2:XFD1048576") -> bytes:
    """One cell in A2 and one far away: the 1.5 KB workbook that asked for 550 GB."""
    row = "".join(ch for ch in last if ch.isdigit())
    rows = f'<row r="2">{inline("A2", "项目编号")}</row><row r="{row}">{inline(last, "x")}</row>'
    return workbook(sheet(rows, dimension))


def sparse_without_dimension(last: str = "XFD1048576") -> bytes:
    return sparse(last, dimension=None)


def lying_dimension(last: str = "XFD1048576") -> bytes:
    """A <dimension> that says A1:B2 over a sheet that ends far away."""
    return sparse(last, dimension="A1:B2")


def zip_bomb(mb: int = 300) -> bytes:
    """A sheet of mb megabytes of whitespace inside its root element: a few hundred KB zipped."""
    body = SHEET_HEAD.encode() + b"<sheetData>" + b" " * (mb * 1024 * 1024) + b"</sheetData></worksheet>"
    return workbook(body)


def billion_laughs() -> bytes:
    dtd = '<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    xml = SHEET_HEAD.replace("<worksheet", dtd + "]><worksheet", 1)
    return workbook(
        f'{xml}<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )


def xxe() -> bytes:
    xml = SHEET_HEAD.replace(
        "<worksheet", '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><worksheet', 1
    )
    return workbook(
        f'{xml}<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
        "</sheetData></worksheet>"
    )


def many_rows(n: int = 1_000_000) -> bytes:
    """n rows of one number each (zipped, about 4 MB for a million)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            f.write(f"{SHEET_HEAD}<sheetData>".encode())
            for start in range(1, n + 1, 10000):
                f.write(
                    "".join(
                        f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>'
                        for i in range(start, min(start + 10000, n + 1))
                    ).encode()
                )
            f.write(b"</sheetData></worksheet>")
    return buf.getvalue()


def without_references(columns: int = 300) -> bytes:
    """One row of cells that carry no r= (allowed: each is the next column)."""
    cells = "<c><v>1</v></c>" * columns
    return workbook(sheet(f"<row>{cells}</row>"))


def prefixed(last: str = "XFD1") -> bytes:
    """The sparse sheet written with a namespace prefix (x:worksheet, x:row, x:c)."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="{ns}"><x:sheetData>'
        f'<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c r="{last}"><x:v>2</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    return workbook(xml)
