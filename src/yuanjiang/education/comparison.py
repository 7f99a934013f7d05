"""The pilot-versus-control comparison: for each school and cohort with a pilot and a control class,
each exam and subject, pilot mean − control mean with its Welch 95 % interval (education.stats).
One query for all the exam results, whatever their number."""

from collections import defaultdict
from dataclasses import dataclass, field

from yuanjiang.education.choices import Subject, Track
from yuanjiang.education.stats import Comparison, Summary, pool, welch


@dataclass
class Row:
    exam_name: str
    exam_date: object
    subject: str
    pilot_classes: list
    control_classes: list
    comparison: Comparison | None  # None when one side is missing

    @property
    def subject_label(self) -> str:
        return Subject(self.subject).label


@dataclass
class Group:
    school: object
    cohort: int
    grade_label: str
    rows: list[Row] = field(default_factory=list)

    def by_subject(self) -> list[tuple[str, list[Row]]]:
        """The rows of each subject in exam order (for the trend charts)."""
        result: dict[str, list[Row]] = defaultdict(list)
        for row in self.rows:
            if row.comparison is not None:
                result[row.subject].append(row)
        order = {s: i for i, s in enumerate(Subject.values)}
        return [(Subject(s).label, rows) for s, rows in sorted(result.items(), key=lambda kv: order[kv[0]])]


def compare(results, pilot_track: str = Track.PILOT) -> list[Group]:
    """Group exam results (each with teaching_class and its school loaded) into comparisons: a pilot
    class against the control classes of the same school, cohort and grade."""
    cells: dict[tuple, dict[str, list]] = defaultdict(lambda: {"pilot": [], "control": []})
    for r in results:
        cls = r.teaching_class
        if cls.track == pilot_track:
            side = "pilot"
        elif cls.track == Track.CONTROL:
            side = "control"
        else:
            continue
        # Pilot and control classes compare within one school, cohort and grade.
        key = (cls.school_id, cls.cohort, cls.grade, r.exam_date, r.exam_name, r.subject)
        cells[key][side].append(r)
    groups: dict[tuple, Group] = {}
    order = {s: i for i, s in enumerate(Subject.values)}
    for key in sorted(cells, key=lambda k: (k[0], -k[1], k[2], k[3], k[4], order[k[5]])):
        school_id, cohort, grade, exam_date, exam_name, subject = key
        sides = cells[key]
        if not sides["pilot"]:
            continue  # a control class alone compares with nothing
        some = (sides["pilot"] + sides["control"])[0]
        group = groups.setdefault(
            (school_id, cohort, grade),
            Group(some.teaching_class.school, cohort, some.teaching_class.get_grade_display()),
        )
        comparison = None
        if sides["control"]:
            comparison = welch(
                pool([Summary(r.n, float(r.mean), float(r.sd)) for r in sides["pilot"]]),
                pool([Summary(r.n, float(r.mean), float(r.sd)) for r in sides["control"]]),
            )
        group.rows.append(
            Row(
                exam_name,
                exam_date,
                subject,
                [r.teaching_class for r in sides["pilot"]],
                [r.teaching_class for r in sides["control"]],
                comparison,
            )
        )
    return list(groups.values())


def results_for(queryset, pilot_track: str = Track.PILOT):
    """The exam results a comparison needs, with their classes and schools, in one query."""
    return (
        queryset.filter(teaching_class__track__in=[pilot_track, Track.CONTROL])
        .select_related("teaching_class__school")
        .order_by("exam_date", "id")
    )
