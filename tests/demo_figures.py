"""Every figure the demo shows, as one JSON-able dict: the frozen record of what the demo's data files produce.

`collect()` computes, for the demo's programs and roll-ups (前方指挥部, province) and every period the demo
has (each program year, both demo years, 2023–2025, the half-years, all time), the report card as its JSON
rendering and the value of every declared metric, plus the number of rows of every model.
`tests/test_demo_figures.py` compares it with `tests/data/demo_figures.json`. When a change to the demo's
data is meant to change its figures, write the file again and review the diff:

    DEMO_FIGURES_WRITE=1 ./yj test tests/test_demo_figures.py
"""

import datetime as dt
import json
from pathlib import Path

from django.apps import apps

from yuanjiang.metrics import registry
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.models import Organization, Program
from yuanjiang.org.periods import Period, program_year
from yuanjiang.reports import definition as defs
from yuanjiang.reports import render, services

FROZEN = Path(__file__).parent / "data" / "demo_figures.json"
DEMO_END = dt.date(2025, 6, 30)  # the demo's last day: "all time" ends here, not today
ROLLUPS = ("jiangsu-yili-front", "jiangsu")
D = dt.date.fromisoformat
CALENDAR = [
    Period(D("2023-01-01"), D("2023-12-31")),
    Period(D("2024-01-01"), D("2024-12-31")),
    Period(D("2025-01-01"), D("2025-12-31")),
    Period(D("2024-01-01"), D("2024-06-30")),
    Period(D("2025-01-01"), D("2025-06-30")),
    Period(D("2023-04-01"), D("2024-06-30")),  # the first demo year (the article's 进疆以来)
    Period(D("2024-07-01"), D("2025-06-30")),  # the second demo year
]


def _periods(start: dt.date, program=None) -> list[Period]:
    found = list(CALENDAR)
    if program is not None:
        found += [program_year(program, n) for n in (1, 2, 3)]
    found.append(Period(start, DEMO_END))  # all time
    return found


def _card(scope: Scope, period: Period) -> dict:
    loaded = defs.load(defs.default_name(scope))
    return json.loads(render.render(services.report_build(loaded, scope, period), "json"))


def _metrics(scope: Scope, period: Period) -> dict:
    return {code: fig.as_dict() for code, fig in registry.evaluate(None, scope, period).items()}


def _scope_figures(scope: Scope, periods: list[Period]) -> dict:
    out = {}
    for period in periods:
        key = f"{period.start}:{period.end}"
        out[key] = {"card": _card(scope, period), "metrics": _metrics(scope, period)}
    return out


def row_counts() -> dict:
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.label] = model._base_manager.count()
    return dict(sorted(counts.items()))


def collect() -> dict:
    figures = {"programs": {}, "organizations": {}}
    for program in Program.objects.order_by("slug"):
        figures["programs"][program.slug] = _scope_figures(
            Scope(program=program), _periods(program.term_start, program)
        )
    for slug in ROLLUPS:
        org = Organization.objects.get(slug=slug)
        scope = Scope(organization=org)
        start = min(p.term_start for p in scope.programs())
        figures["organizations"][slug] = _scope_figures(scope, _periods(start))
    figures["rows"] = row_counts()
    return json.loads(json.dumps(figures, ensure_ascii=False, sort_keys=True, default=str))


def write(figures: dict):
    FROZEN.parent.mkdir(parents=True, exist_ok=True)
    FROZEN.write_text(
        json.dumps(figures, ensure_ascii=False, sort_keys=True, indent=1) + "\n", encoding="utf-8"
    )


def frozen() -> dict:
    return json.loads(FROZEN.read_text(encoding="utf-8"))
