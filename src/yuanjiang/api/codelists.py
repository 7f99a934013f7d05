"""The IATI files vendored in iati_files/ (schema 2.03 and the codelists the export uses), read once."""

from functools import cache
from pathlib import Path

from lxml import etree

FILES = Path(__file__).resolve().parent / "iati_files"


@cache
def codelist(name: str) -> frozenset[str]:
    """The codes of an IATI codelist (iati_files/codelists/<name>.xml)."""
    tree = etree.parse(str(FILES / "codelists" / f"{name}.xml"))
    return frozenset(
        code.text.strip()
        for code in tree.iterfind(".//codelist-item/code")
        if code.text and code.text.strip()
    )
