"""Report-card definitions: data (TOML), parsed and checked once, when loaded or saved.

A definition has a title, sections and lines. A line is a Chinese sentence with figure placeholders:

    {projects.count}个援疆项目实现{projects.started_rate}开工

Placeholder syntax: ``{CODE}`` or ``{CODE:OPTION[,OPTION]}``; the options choose the writing:

- ``honest`` (the default): rounded the way official texts write it, never claiming more than the
  records hold (2 950 000 元 → 近300万元 with ``p1``; 2 531 人次 → 2500余人次);
- ``exact``: the exact value (4 800 000 元 → 480万元; 123.4567万元);
- ``pN`` (N = 1 … 6): the significant digits of the honest writing (default 2), so ``{code:p1}``
  is honest with one significant digit. ``exact`` and ``pN`` cannot be combined.

``{{`` and ``}}`` write literal braces. The title (and subtitle) may use ``{scope}`` (the program or
organization) and ``{period}`` (the period's name) and no metric.

Everything is checked when a definition is loaded or saved — an unknown metric code, a malformed
placeholder, an unknown option, a bad precision, an unknown key, an empty section — and the error names
the line (file line, section, sentence). Rendering never meets a bad definition.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from yuanjiang.common import formatting

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
DEFAULT_NAME = "default"

HONEST = "honest"
EXACT = "exact"
MAX_PRECISION = 6
_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
_PRECISION = re.compile(r"^p(\d+)$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
TITLE_FIELDS = ("scope", "period")


class DefinitionError(ValueError):
    """A definition that cannot be used; the message (Chinese) names the line."""


class _SyntaxProblem(ValueError):
    pass


@dataclass(frozen=True)
class Placeholder:
    code: str
    mode: str = HONEST
    precision: int = 2

    def display(self, value, unit: str) -> str:
        """The figure as written in the sentence; "—" for a value that cannot be computed (None)."""
        if value is None:
            return "—"
        if self.mode == EXACT:
            return formatting.exact(value, unit)
        return formatting.honest(value, unit, precision=self.precision)

    @property
    def token(self) -> str:
        options = []
        if self.mode == EXACT:
            options.append(EXACT)
        elif self.precision != 2:
            options.append(f"p{self.precision}")
        return "{" + self.code + (":" + ",".join(options) if options else "") + "}"


Part = str | Placeholder


@dataclass(frozen=True)
class Line:
    text: str  # as written in the definition
    parts: tuple[Part, ...]
    where: str  # "default.toml 第12行（“总体情况”第1句）" — for messages

    @property
    def placeholders(self) -> list[Placeholder]:
        return [p for p in self.parts if isinstance(p, Placeholder)]


@dataclass(frozen=True)
class SectionDef:
    title: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Definition:
    name: str
    title: str
    sections: tuple[SectionDef, ...]
    subtitle: str = ""
    source: str = ""  # where it came from: a file name or "成绩单模板“name”"
    codes: tuple[str, ...] = field(default=())

    def heading(self, scope_label: str, period_label: str) -> tuple[str, str]:
        values = {"scope": scope_label, "period": period_label}
        return (_fill(self.title, values), _fill(self.subtitle, values))


def _fill(template: str, values: dict[str, str]) -> str:
    parts = split(template, title=True)
    return "".join(values[p.code] if isinstance(p, Placeholder) else p for p in parts)


def split(text: str, *, title: bool = False) -> tuple[Part, ...]:
    """The literal pieces and placeholders of a sentence; raises _SyntaxProblem (no location)."""
    parts: list[Part] = []
    literal: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "{" and text.startswith("{{", i):
            literal.append("{")
            i += 2
            continue
        if ch == "}" and text.startswith("}}", i):
            literal.append("}")
            i += 2
            continue
        if ch == "}":
            raise _SyntaxProblem(f"第{i + 1}个字符处有多余的“}}”（字面的花括号请写“}}}}”）")
        if ch != "{":
            literal.append(ch)
            i += 1
            continue
        end = text.find("}", i + 1)
        nested = text.find("{", i + 1)
        if end < 0:
            raise _SyntaxProblem(f"第{i + 1}个字符处的“{{”没有对应的“}}”（占位符未闭合）")
        if 0 <= nested < end:
            raise _SyntaxProblem(f"第{i + 1}个字符处的“{{”没有对应的“}}”（占位符未闭合或嵌套）")
        body = text[i + 1 : end]
        if literal:
            parts.append("".join(literal))
            literal = []
        parts.append(_placeholder(body, title=title))
        i = end + 1
    if literal:
        parts.append("".join(literal))
    return tuple(parts)


def _placeholder(body: str, *, title: bool) -> Placeholder:
    code, _, opts = body.strip().partition(":")
    code = code.strip()
    if not code:
        raise _SyntaxProblem("占位符“{}”中没有指标代码")
    if title:
        if code not in TITLE_FIELDS or opts:
            raise _SyntaxProblem(f"标题中只能使用 {{scope}} 与 {{period}}，不能使用“{{{body}}}”")
        return Placeholder(code)
    if not _CODE.match(code):
        raise _SyntaxProblem(f"“{code}”不是指标代码（形如 projects.count）")
    mode, precision = HONEST, None
    has_colon = ":" in body
    options = [o.strip() for o in opts.split(",")] if has_colon else []
    if has_colon and not all(options):
        raise _SyntaxProblem(f"“{{{body}}}”的冒号后缺少写法（honest、exact 或 p1 至 p{MAX_PRECISION}）")
    for raw in options:
        m = _PRECISION.match(raw)
        if raw == EXACT:
            mode = EXACT
        elif raw == HONEST:
            mode = HONEST
        elif m:
            p = int(m.group(1))
            if not 1 <= p <= MAX_PRECISION:
                raise _SyntaxProblem(f"“{{{body}}}”的精度“{raw}”无效：有效数字须为 p1 至 p{MAX_PRECISION}")
            precision = p
        elif raw.startswith("p"):
            raise _SyntaxProblem(f"“{{{body}}}”的精度“{raw}”无效：应写作 p1 至 p{MAX_PRECISION}")
        else:
            raise _SyntaxProblem(
                f"“{{{body}}}”的写法“{raw}”无效：可用 honest（默认）、exact 或精度 p1 至 p{MAX_PRECISION}"
            )
    if mode == EXACT and precision is not None:
        raise _SyntaxProblem(f"“{{{body}}}”同时指定了 exact 与精度：精度只用于 honest 写法")
    return Placeholder(code, mode, precision if precision is not None else 2)


def _locate(raw: str, text: str, start: int) -> tuple[int | None, int]:
    """The file line (1-based) on which the string `text` appears, searching from `start`."""
    for needle in (text, text[:12]):
        if not needle:
            continue
        pos = raw.find(needle, start)
        if pos >= 0:
            return raw.count("\n", 0, pos) + 1, pos + 1
    return None, start


_TOP_KEYS = {"title", "subtitle", "description", "section"}
_SECTION_KEYS = {"title", "lines"}


def parse(raw: str, *, name: str, source: str, known_codes=None) -> Definition:
    """Parse and check a TOML definition. `known_codes`: the metric codes that exist (default: the
    registry's); an unknown one is an error naming the line."""
    if known_codes is None:
        from yuanjiang.metrics import registry

        known_codes = {m.code for m in registry.all_metrics()}
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(f"{source}：不是有效的 TOML：{exc}") from None
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise DefinitionError(
            f"{source}：未知的键 {', '.join(sorted(unknown))}（可用：title、subtitle、section）"
        )
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise DefinitionError(f'{source}：缺少标题（title = "…"）')
    subtitle = data.get("subtitle", "")
    for key, value in (("title", title), ("subtitle", subtitle)):
        if not isinstance(value, str):
            raise DefinitionError(f"{source}：{key} 须为字符串")
        try:
            split(value, title=True)
        except _SyntaxProblem as exc:
            lineno, _ = _locate(raw, value, 0)
            at = f"第{lineno}行" if lineno else ""
            raise DefinitionError(f"{source}{at}（{key}）：{exc}。") from None
    sections_raw = data.get("section")
    if not isinstance(sections_raw, list) or not sections_raw:
        raise DefinitionError(f"{source}：至少需要一节（[[section]]，含 title 与 lines）")
    sections: list[SectionDef] = []
    codes: list[str] = []
    cursor = 0
    for s_index, sec in enumerate(sections_raw, start=1):
        if not isinstance(sec, dict):
            raise DefinitionError(f"{source}：第{s_index}节须为表（[[section]]）")
        bad = set(sec) - _SECTION_KEYS
        s_title = sec.get("title")
        label = f"第{s_index}节“{s_title}”" if isinstance(s_title, str) else f"第{s_index}节"
        if bad:
            raise DefinitionError(
                f"{source}：{label}有未知的键 {', '.join(sorted(bad))}（可用：title、lines）"
            )
        if not isinstance(s_title, str) or not s_title.strip():
            raise DefinitionError(f"{source}：{label}缺少标题（title）")
        lines_raw = sec.get("lines")
        if not isinstance(lines_raw, list) or not lines_raw:
            raise DefinitionError(f"{source}：{label}没有任何句子（lines = [ … ]）")
        lines: list[Line] = []
        for l_index, text in enumerate(lines_raw, start=1):
            if not isinstance(text, str) or not text.strip():
                raise DefinitionError(f"{source}：{label}第{l_index}句须为非空字符串")
            lineno, cursor = _locate(raw, text, cursor)
            where = f"{source}{f'第{lineno}行' if lineno else ''}（{label}第{l_index}句“{text}”）"
            try:
                parts = split(text)
            except _SyntaxProblem as exc:
                raise DefinitionError(f"{where}：{exc}。") from None
            for p in parts:
                if isinstance(p, Placeholder):
                    if p.code not in known_codes:
                        raise DefinitionError(f"{where}：未知指标“{p.code}”。")
                    if p.code not in codes:
                        codes.append(p.code)
            lines.append(Line(text=text, parts=parts, where=where))
        sections.append(SectionDef(title=s_title.strip(), lines=tuple(lines)))
    return Definition(
        name=name,
        title=title.strip(),
        subtitle=subtitle.strip(),
        sections=tuple(sections),
        source=source,
        codes=tuple(codes),
    )


def file_names() -> list[str]:
    return sorted(p.stem for p in DEFINITIONS_DIR.glob("*.toml"))


def load_file(name: str, known_codes=None) -> Definition:
    path = DEFINITIONS_DIR / f"{name}.toml"
    return parse(path.read_text(encoding="utf-8"), name=name, source=path.name, known_codes=known_codes)


def load(name: str = DEFAULT_NAME) -> Definition:
    """A definition by name: one kept in the repository (reports/definitions/NAME.toml) or one an
    admin keeps in the database (ReportDefinition). Raises DefinitionError, also for an unknown name."""
    name = (name or DEFAULT_NAME).strip()
    if not _NAME.match(name):
        raise DefinitionError(f"成绩单模板名称“{name}”无效。")
    if (DEFINITIONS_DIR / f"{name}.toml").exists():
        return load_file(name)
    from django.apps import apps

    ReportDefinition = apps.get_model("reports", "ReportDefinition")

    stored = ReportDefinition.objects.filter(name=name).first()
    if stored is None:
        known = "、".join(available_names()) or "（无）"
        raise DefinitionError(f"没有名为“{name}”的成绩单模板。已有：{known}")
    return stored.definition()


def available_names() -> list[str]:
    from django.apps import apps

    ReportDefinition = apps.get_model("reports", "ReportDefinition")

    return file_names() + sorted(ReportDefinition.objects.values_list("name", flat=True))
