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

Conditions (a card must read right for any period and scope, docs/reports.md "Conditions"):

- a sentence is shown only when every figure in it is positive (neither empty, "—", nor zero);
  otherwise its declared alternative (``else``) is shown, if that one's figures are positive, or
  the sentence is left out. A section left without sentences is left out;
- ``[…]`` is an optional clause: shown only when its own figures are positive
  ("…86人次[，签订框架协议{talent.agreements}]。"); ``[[`` and ``]]`` write literal brackets;
- a line may be a table instead of a string: ``{ text = "…", else = "…", when = ["code", …] }``;
  ``when`` names further figures that must be positive for the sentence (wording that is only true
  when, e.g., a fund was founded in the period), ``else`` one alternative or a list tried in order;
- a definition may name the definition its roll-up cards use (``rollup = "default-rollup"``): an
  organization's card never speaks a single program's brand names.

Everything is checked when a definition is loaded or saved — an unknown metric code, a malformed
placeholder, an unknown option, a bad precision, an unknown key, an empty section, an unbalanced or
figure-less optional clause, a sentence (or alternative) that depends on no figure and so would be
shown for any period whatever the records hold — and the error names the line (file line, section,
sentence). Rendering never meets a bad definition, and no sentence can display "—" or a zero figure:
every figure is a condition of its sentence or of its clause.
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


@dataclass(frozen=True)
class Clause:
    """An optional clause ``[…]``: shown only when every figure in it is positive."""

    parts: tuple  # str | Placeholder

    @property
    def placeholders(self) -> list[Placeholder]:
        return [p for p in self.parts if isinstance(p, Placeholder)]


Part = str | Placeholder | Clause


@dataclass(frozen=True)
class Sentence:
    """One wording of a line: its parts and the figures that must be positive for it to be shown
    (those of its text outside optional clauses, and those named in ``when``)."""

    text: str
    parts: tuple[Part, ...]
    when: tuple[str, ...] = ()

    @property
    def placeholders(self) -> list[Placeholder]:
        out = []
        for p in self.parts:
            if isinstance(p, Placeholder):
                out.append(p)
            elif isinstance(p, Clause):
                out.extend(p.placeholders)
        return out

    @property
    def required(self) -> tuple[str, ...]:
        codes = [p.code for p in self.parts if isinstance(p, Placeholder)]
        return tuple(dict.fromkeys([*codes, *self.when]))

    @property
    def codes(self) -> list[str]:
        return list(dict.fromkeys([*(p.code for p in self.placeholders), *self.when]))


@dataclass(frozen=True)
class Line:
    text: str  # as written in the definition
    parts: tuple[Part, ...]
    where: str  # "default.toml 第12行（“总体情况”第1句）" — for messages
    when: tuple[str, ...] = ()
    alternatives: tuple[Sentence, ...] = ()  # ``else``: tried in order when the sentence is not shown

    @property
    def sentence(self) -> Sentence:
        return Sentence(text=self.text, parts=self.parts, when=self.when)

    @property
    def wordings(self) -> tuple[Sentence, ...]:
        return (self.sentence, *self.alternatives)

    @property
    def placeholders(self) -> list[Placeholder]:
        return [p for s in self.wordings for p in s.placeholders]

    @property
    def codes(self) -> list[str]:
        return list(dict.fromkeys(c for s in self.wordings for c in s.codes))


def positive(value) -> bool:
    """Whether a figure may be shown in a sentence: computed (not "—") and above zero."""
    return value is not None and value > 0


def choose(line: Line, values: dict) -> Sentence | None:
    """The wording of `line` to show for these figure values (code → value), or None (left out)."""
    for sentence in line.wordings:
        if all(positive(values.get(code)) for code in sentence.required):
            return sentence
    return None


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
    rollup: str = ""  # the definition an organization's (roll-up) card uses instead, if any
    label: str = ""  # what users read ("完整成绩单"); the name is the identifier in URLs

    def heading(self, scope_label: str, period_label: str) -> tuple[str, str]:
        values = {"scope": scope_label, "period": period_label}
        return (_fill(self.title, values), _fill(self.subtitle, values))


def _fill(template: str, values: dict[str, str]) -> str:
    parts = split(template, title=True)
    return "".join(values[p.code] if isinstance(p, Placeholder) else p for p in parts)


def split(text: str, *, title: bool = False) -> tuple[Part, ...]:
    """The literal pieces, placeholders and optional clauses of a sentence; raises _SyntaxProblem
    (no location). In a title there are no clauses (brackets are literal)."""
    stack: list[list[Part]] = [[]]
    literal: list[str] = []
    opened_at = 0
    i, n = 0, len(text)

    def flush():
        if literal:
            stack[-1].append("".join(literal))
            literal.clear()

    while i < n:
        ch = text[i]
        if ch in "{}[]" and text.startswith(ch * 2, i) and (ch in "{}" or not title):
            literal.append(ch)
            i += 2
            continue
        if ch == "}":
            raise _SyntaxProblem(f"第{i + 1}个字符处有多余的“}}”（字面的花括号请写“}}}}”）")
        if ch == "[" and not title:
            if len(stack) > 1:
                raise _SyntaxProblem(f"第{i + 1}个字符处的“[”在另一个可选分句之内（可选分句不能嵌套）")
            flush()
            stack.append([])
            opened_at = i
            i += 1
            continue
        if ch == "]" and not title:
            if len(stack) == 1:
                raise _SyntaxProblem(f"第{i + 1}个字符处有多余的“]”（字面的方括号请写“]]”）")
            flush()
            clause = Clause(tuple(stack.pop()))
            if not clause.placeholders:
                raise _SyntaxProblem(
                    f"第{opened_at + 1}个字符起的可选分句“[…]”中没有指标：它总会显示，请去掉方括号"
                )
            stack[-1].append(clause)
            i += 1
            continue
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
        flush()
        stack[-1].append(_placeholder(body, title=title))
        i = end + 1
    if len(stack) > 1:
        raise _SyntaxProblem(f"第{opened_at + 1}个字符处的“[”没有对应的“]”（可选分句未闭合）")
    flush()
    return tuple(stack[0])


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


_TOP_KEYS = {"title", "subtitle", "description", "section", "rollup", "label"}
_SECTION_KEYS = {"title", "lines"}
_LINE_KEYS = {"text", "else", "when"}


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
            f"{source}：未知的键 {', '.join(sorted(unknown))}（可用：title、subtitle、label、rollup、section）"
        )
    card_label = data.get("label", "")
    if not isinstance(card_label, str) or len(card_label) > 30:
        raise DefinitionError(f'{source}：label 须为不超过30个字的名称（如 "完整成绩单"）')
    rollup = data.get("rollup", "")
    if not isinstance(rollup, str) or (rollup and (not _NAME.match(rollup) or rollup == name)):
        raise DefinitionError(f'{source}：rollup 须为另一个成绩单模板的名称（如 "default-rollup"）')
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
        for l_index, entry in enumerate(lines_raw, start=1):
            line, cursor = _line(raw, entry, cursor, source, label, l_index, known_codes)
            for code in line.codes:
                if code not in codes:
                    codes.append(code)
            lines.append(line)
        sections.append(SectionDef(title=s_title.strip(), lines=tuple(lines)))
    return Definition(
        name=name,
        title=title.strip(),
        subtitle=subtitle.strip(),
        sections=tuple(sections),
        source=source,
        codes=tuple(codes),
        rollup=rollup,
        label=card_label.strip(),
    )


def _line(raw, entry, cursor, source, label, l_index, known_codes) -> tuple[Line, int]:
    """One line of a section: a sentence, or a table {text, else, when}; checked (see parse)."""
    if isinstance(entry, dict):
        bad = set(entry) - _LINE_KEYS
        if bad:
            raise DefinitionError(
                f"{source}：{label}第{l_index}句有未知的键 {', '.join(sorted(bad))}（可用：text、else、when）"
            )
        text = entry.get("text")
        alternatives = entry.get("else", [])
        when = entry.get("when", [])
        if isinstance(alternatives, str):
            alternatives = [alternatives]
        if isinstance(when, str):
            when = [when]
    else:
        text, alternatives, when = entry, [], []
    if not isinstance(text, str) or not text.strip():
        raise DefinitionError(f"{source}：{label}第{l_index}句须为非空字符串（或含 text 的表）")
    lineno, cursor = _locate(raw, text, cursor)
    where = f"{source}{f'第{lineno}行' if lineno else ''}（{label}第{l_index}句“{text}”）"
    if not isinstance(alternatives, list) or not all(isinstance(a, str) and a.strip() for a in alternatives):
        raise DefinitionError(f"{where}：else 须为一个或一组非空句子。")
    if not isinstance(when, list) or not all(isinstance(c, str) for c in when):
        raise DefinitionError(f'{where}：when 须为一组指标代码（如 ["education.fund_founding_donations"]）。')
    for code in when:
        if code not in known_codes:
            raise DefinitionError(f"{where}：when 中的未知指标“{code}”。")
    sentences = []
    for kind, sentence_text in (("", text), *(("替代句", a) for a in alternatives)):
        try:
            parts = split(sentence_text)
        except _SyntaxProblem as exc:
            raise DefinitionError(f"{where}{kind and f'的{kind}“{sentence_text}”'}：{exc}。") from None
        sentence = Sentence(text=sentence_text, parts=parts, when=tuple(when) if not kind else ())
        for p in sentence.placeholders:
            if p.code not in known_codes:
                raise DefinitionError(f"{where}：未知指标“{p.code}”。")
        if not sentence.required:
            # Shown whatever the records hold, for any period and scope: "成立“通伊”教育基金" on a
            # card of a year in which nothing was founded. A sentence must depend on a figure.
            raise DefinitionError(
                f"{where}{kind and f'的{kind}“{sentence_text}”'}：句子在可选分句之外没有任何指标，"
                "也没有用 when 声明条件，会在任何期间、任何范围都显示；请加入指标或 when 条件。"
            )
        sentences.append(sentence)
    main, *alts = sentences
    line = Line(text=text, parts=main.parts, where=where, when=main.when, alternatives=tuple(alts))
    return line, cursor


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


def default_name(scope) -> str:
    """The definition a report card uses when none is asked for: a program's own (chosen at its
    set-up, `Program.report_definition`), else the shipped default."""
    program = getattr(scope, "program", None)
    return (
        (getattr(program, "report_definition", "") or DEFAULT_NAME) if program is not None else DEFAULT_NAME
    )


def available_names() -> list[str]:
    from django.apps import apps

    ReportDefinition = apps.get_model("reports", "ReportDefinition")

    return file_names() + sorted(ReportDefinition.objects.values_list("name", flat=True))


def for_scope(definition: Definition, scope) -> Definition:
    """The definition to use for `scope`: for an organization, the roll-up definition the given one
    names (its wording is written for a whole command), else the definition itself."""
    if scope.organization is not None and definition.rollup:
        return load(definition.rollup)
    return definition


def label_of(name: str) -> str:
    """What users read for a definition name: a kept definition's `label`, else the name."""
    if name in file_names():
        try:
            return load_file(name).label or name
        except DefinitionError:
            return name
    return name


def choices() -> list[tuple[str, str]]:
    """(name, label) of every definition, for a chooser."""
    return [(name, label_of(name)) for name in available_names()]
