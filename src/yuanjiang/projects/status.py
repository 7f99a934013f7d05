"""Project status, derived from milestone dates by the one engine (`common.milestones`).

The latest milestone reached decides: 验收 → 已验收, 交付/投产 → 已交付, 完工 → 已完工, 开工 → 在建,
none → 未开工. "Reached on a date" means its actual date is on or before that date, so 开工率 for a
period can never disagree with the dates.
"""

from yuanjiang.common.milestones import Milestones, reached_q
from yuanjiang.projects.choices import Status

# (status, the actual-date field that reaches it), latest milestone first.
RULES: tuple[tuple[Status, str], ...] = (
    (Status.ACCEPTED, "actual_acceptance"),
    (Status.DELIVERED, "actual_delivery"),
    (Status.COMPLETED, "actual_completion"),
    (Status.UNDERWAY, "actual_start"),
)
ENGINE = Milestones(RULES, default=Status.NOT_STARTED)

status_expression = ENGINE.expression  # SQL: the status of each project as of `on`
status_q = ENGINE.q  # SQL filter: projects whose status as of `on` is `status`
status_of = ENGINE.of  # Python: the status of one loaded project as of `on`

__all__ = ["ENGINE", "RULES", "reached_q", "status_expression", "status_of", "status_q"]
