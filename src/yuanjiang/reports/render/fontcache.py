"""The PDF's CJK fonts, subset once (docs/reports.md, "PDF memory").

WeasyPrint copies the whole font file of every face and size it uses into memory (a Noto CJK
collection is 20–26 MB, and a report card uses four faces at several sizes), so one PDF took about
400 MB. The PDF therefore uses subsets of the Noto CJK faces made once per machine and cached under
$YJ_VAR_DIR/fonts: the characters of GB 2312 (the 6 763 汉字 of official documents, punctuation,
full-width forms) and ASCII, a few MB each, named "YJ Serif SC" / "YJ Sans SC". A character outside
them falls back to the system's full font, as before. The subsets are made in a child process (the
worker's memory never holds a whole collection for it), with fontTools (WeasyPrint's dependency).

    python src/yuanjiang/reports/render/fontcache.py DIR   # make the subsets into DIR
"""

import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

STALE_LOCK_SECONDS = 3600

# (file stem, family matched with fontconfig, style, the subset's family name, CSS weight)
FACES = (
    ("serif-regular", "Noto Serif CJK SC", "Regular", "YJ Serif SC", 400),
    ("serif-bold", "Noto Serif CJK SC", "Bold", "YJ Serif SC", 700),
    ("sans-regular", "Noto Sans CJK SC", "Regular", "YJ Sans SC", 400),
    ("sans-bold", "Noto Sans CJK SC", "Bold", "YJ Sans SC", 700),
)
# The system family each subset stands in for, in the documents' font stacks (fonts.py).
REPLACES = {"Noto Serif CJK SC": "YJ Serif SC", "Noto Sans CJK SC": "YJ Sans SC"}


def characters() -> str:
    """ASCII, GB 2312 (every character it encodes) and the punctuation official documents use."""
    chars = {chr(c) for c in range(0x20, 0x7F)}
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    chars.update(chr(c) for c in range(0x3000, 0x3040))  # CJK symbols and punctuation
    chars.update(chr(c) for c in range(0xFF00, 0xFFF0))  # full-width forms
    chars.update(chr(c) for c in range(0x2010, 0x2070))  # general punctuation (— … ‰)
    chars.update("℃№〇×÷±≤≥")
    return "".join(sorted(chars))


def _locate(family: str, style: str) -> tuple[str, int] | None:
    """(file, index in the collection) of a face, through fontconfig; None when not installed."""
    if not shutil.which("fc-match"):
        return None
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{family}\n%{file}\n%{index}", f"{family}:style={style}"],
            capture_output=True,
            text=True,
            timeout=20,
        ).stdout.split("\n")
    except (OSError, subprocess.SubprocessError):
        return None
    if len(out) < 3 or family not in out[0].split(","):
        return None
    return out[1], int(out[2] or 0)


def _sources() -> dict[str, tuple[str, int]] | None:
    found = {stem: _locate(family, style) for stem, family, style, _name, _w in FACES}
    return None if any(v is None for v in found.values()) else found


def make(directory: Path, sources: dict[str, tuple[str, int]]) -> None:
    """Write each face's subset into `directory` (the heavy part: run in a child process)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    directory.mkdir(parents=True, exist_ok=True)
    text = characters()
    for stem, _family, style, name, _weight in FACES:
        path, index = sources[stem]
        font = TTFont(path, fontNumber=index, lazy=False)
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        for record in font["name"].names:
            if record.nameID in (1, 16):
                record.string = name
            elif record.nameID in (2, 17):
                record.string = style
            elif record.nameID == 4:
                record.string = f"{name} {style}"
            elif record.nameID == 6:
                record.string = f"{name.replace(' ', '')}-{style}"
        tmp = directory / f"{stem}.otf.part"
        font.save(tmp)
        font.close()
        tmp.replace(directory / f"{stem}.otf")


def subsets() -> dict[str, tuple[Path, str, int]] | None:
    """{stem: (file, family, weight)} of the cached subsets; None when they are not made yet (then
    they are being made, once, in the background: the PDFs meanwhile use the system's fonts) or the
    Noto CJK faces are not installed."""
    directory = cache_dir()
    if directory is None:
        return None
    files = {stem: directory / f"{stem}.otf" for stem, *_ in FACES}
    if not all(f.exists() for f in files.values()):
        from django.conf import settings

        if not settings.TESTING:  # a test run does not start minutes of font work behind it
            _start_making(directory)
        return None
    return {stem: (files[stem], name, weight) for stem, _f, _s, name, weight in FACES}


@functools.cache
def cache_dir() -> Path | None:
    """Where this machine's subsets are (named after the source files and their dates)."""
    from django.conf import settings

    sources = _sources()
    if sources is None:
        return None
    stamp = hashlib.sha256(
        json.dumps({k: [p, i, os.path.getmtime(p)] for k, (p, i) in sources.items()}).encode()
    ).hexdigest()[:12]
    return Path(settings.VAR_DIR) / "fonts" / stamp


def _start_making(directory: Path) -> None:
    """Make the subsets in a child process, unless one is already at it (its lock file)."""
    directory.mkdir(parents=True, exist_ok=True)
    lock = directory / "making.lock"
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        # A lock older than the longest making seen (minutes) is left by a child that died: retry.
        try:
            stale = time.time() - lock.stat().st_mtime > STALE_LOCK_SECONDS
        except FileNotFoundError:
            stale = True
        if not stale:
            return
        lock.unlink(missing_ok=True)
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return
    os.close(fd)
    subprocess.Popen(
        [sys.executable, __file__, str(directory)],  # the file alone: no Django in the child
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def make_now() -> Path | None:
    """Make the subsets (when missing) and wait: for a deployment step or a benchmark."""
    directory = cache_dir()
    if directory is None:
        return None
    if not all((directory / f"{stem}.otf").exists() for stem, *_ in FACES):
        subprocess.run([sys.executable, __file__, str(directory)], check=True, timeout=3600)
    return directory


def font_face_css() -> str:
    """@font-face rules of the subsets ("" when there are none)."""
    faces = subsets()
    if not faces:
        return ""
    return "\n".join(
        f'@font-face {{ font-family: "{name}"; src: url("{path.as_uri()}"); font-weight: {weight}; }}'
        for path, name, weight in faces.values()
    )


def stacks(css_stacks: dict[str, str]) -> dict[str, str]:
    """The documents' font stacks with each subset before the system face it stands in for."""
    if not subsets():
        return css_stacks
    result = {}
    for key, value in css_stacks.items():
        for system, subset_name in REPLACES.items():
            value = value.replace(f'"{system}"', f'"{subset_name}", "{system}"')
        result[key] = value
    return result


if __name__ == "__main__":
    sources = _sources()
    if sources is None:
        sys.exit("Noto CJK fonts not found (fonts-noto-cjk)")
    target = Path(sys.argv[1])
    try:
        make(target, sources)
    finally:
        (target / "making.lock").unlink(missing_ok=True)
