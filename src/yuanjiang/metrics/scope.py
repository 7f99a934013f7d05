"""What a figure is computed over: one program, or every program under an organization."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from yuanjiang.org.models import Organization, Program
from yuanjiang.review.choices import COUNTS


@dataclass(frozen=True)
class Scope:
    program: Program | None = None
    organization: Organization | None = None
    # Restriction to what the viewer may see (accounts.scoping.programs(user)); None = no restriction.
    visible: QuerySet | None = None
    # What figures count of reviewable records: "approved" (已审核 only), "all", or None = each
    # metric's declared default (Metric.counts). Set by `?review=`, `--review` or evaluate(review=).
    review: str | None = None

    def __post_init__(self):
        if (self.program is None) == (self.organization is None):
            raise ValueError("A scope is a program or an organization, exactly one of them.")
        if self.review not in (None, *COUNTS):
            raise ValueError(f"审核口径应为 {' / '.join(COUNTS)}，而不是“{self.review}”。")

    @property
    def label(self) -> str:
        return str(self.program or self.organization)

    @property
    def slug(self) -> str:
        return (self.program or self.organization).slug

    @property
    def query_param(self) -> dict[str, str]:
        param = {"program": self.slug} if self.program else {"org": self.slug}
        if self.review:
            param["review"] = self.review
        return param

    def programs(self) -> QuerySet:
        """The programs the figures count: a lazy queryset used as a subquery (no query of its own)."""
        if self.program is not None:
            qs = Program.objects.filter(pk=self.program.pk)
        else:
            qs = Program.objects.filter(provider__path__startswith=self.organization.path)
        if self.visible is not None:
            qs = qs.filter(pk__in=self.visible.values("pk"))
        return qs

    def q(self, path: str = "program") -> Q:
        """Records whose program (reached by `path`) counts: `program = id` for one program (what an
        index serves best), else `program IN (the scope's programs)`."""
        if self.program is not None and self.visible is None:
            return Q(**{path: self.program.pk})
        return Q(**{f"{path}__in": self.programs()})
