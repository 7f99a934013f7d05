"""PDF through WeasyPrint, with the CJK fonts embedded (subsets), A4 and GB/T 9704 margins.

WeasyPrint needs Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0) and a CJK font (fonts-noto-cjk);
without them this says what to install instead of failing obscurely or printing empty boxes.
"""

import functools
import shutil
import subprocess

INSTALL_HINT = (
    "生成PDF需要系统软件包 Pango 与中文字体。Debian/Ubuntu 请执行："
    "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk"
)


class PdfUnavailable(RuntimeError):
    pass


@functools.cache
def _cjk_fonts() -> list[str]:
    if not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip() for line in out.stdout.splitlines() if line.strip()]


def check() -> None:
    """Raise PdfUnavailable (with the packages to install) when PDF output cannot work here."""
    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi)
    except OSError as exc:
        raise PdfUnavailable(f"{INSTALL_HINT}（{exc}）") from None
    if not _cjk_fonts():
        raise PdfUnavailable(INSTALL_HINT + "（未找到中文字体：fc-list :lang=zh 为空）")


def render(report) -> bytes:
    check()
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from yuanjiang.reports.render import fontcache, fonts
    from yuanjiang.reports.render.html import document

    # The CJK faces subset once (fontcache): each face WeasyPrint loads is a few MB, not the whole
    # 20–26 MB collection, which kept a worker at about 400 MB per PDF.
    faces = fontcache.font_face_css()
    if not faces:
        return weasyprint.HTML(string=document(report, for_pdf=True), base_url=None).write_pdf()
    font_config = FontConfiguration()
    html = document(report, for_pdf=True, stacks=fontcache.stacks(fonts.CSS_STACKS))
    css = weasyprint.CSS(string=faces, font_config=font_config)
    return weasyprint.HTML(string=html, base_url=None).write_pdf(stylesheets=[css], font_config=font_config)
