"""`./yj fonts`: the PDF's font subsets made at deployment, not on the first PDF request."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from yuanjiang.reports.render import fontcache


def test_fonts_makes_the_subsets_and_waits(monkeypatch, tmp_path):
    made = []

    def make_now():
        made.append(True)
        return Path(tmp_path)

    monkeypatch.setattr(fontcache, "make_now", make_now)
    out = StringIO()
    call_command("fonts", stdout=out)
    assert made == [True]
    assert str(tmp_path) in out.getvalue()


def test_fonts_says_so_when_the_noto_faces_are_missing(monkeypatch):
    monkeypatch.setattr(fontcache, "make_now", lambda: None)
    out = StringIO()
    call_command("fonts", stdout=out)
    assert "未找到 Noto CJK 字体" in out.getvalue()
