"""JSON: exactly {"title", "program" | "organization", "period": {"start", "end"}, "sections": [{"title",
"lines": [{"text", "figures": [{"metric", "value", "unit", "display"}]}]}]}; a value that cannot be
computed (a rate of nothing) is null and displays as "—"."""

import json


def render(report) -> bytes:
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2).encode("utf-8")
