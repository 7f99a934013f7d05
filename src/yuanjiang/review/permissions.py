"""Who may submit, review, close and reopen, answered for many rows at once (one query per user and
request, cached on the user object like scoping's memberships)."""

from yuanjiang.accounts import scoping
from yuanjiang.accounts.models import Role
from yuanjiang.org.models import Program
from yuanjiang.review import guard

APPROVER_ROLES = frozenset({Role.LEAD, Role.ADMIN})


def _cached(user, key, compute):
    cache = getattr(user, "_yj_review_cache", None)
    if cache is None:
        cache = user._yj_review_cache = {}
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def changeable_ids(user) -> set[int]:
    return _cached(
        user, "change", lambda: set(scoping.programs(user, scoping.CHANGE).values_list("pk", flat=True))
    )


def reviewer_ids(user) -> set[int]:
    def compute():
        if scoping._is_global_admin(user):
            return set(Program.objects.values_list("pk", flat=True))
        ms = [m for m in scoping._memberships(user) if m.role in APPROVER_ROLES]
        q = scoping._program_q(ms)
        if q is None:
            return set()
        visible = scoping.programs(user)
        return set(Program.objects.filter(q).filter(pk__in=visible.values("pk")).values_list("pk", flat=True))

    return _cached(user, "review", compute)


def program_id(obj) -> int | None:
    return guard._program_id(obj)
