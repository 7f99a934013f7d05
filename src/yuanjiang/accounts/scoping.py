"""Row-level scope, implemented once.

Every view, form choice, export, report and metric asks this module which programs a user may see
or edit, and restricts querysets with `restrict()`. A record outside the user's scope is simply not
in the queryset, so detail views answer 404 (not 403) and nothing leaks through choices or search.
"""

from django.db.models import Q, QuerySet

from yuanjiang.accounts.models import EDIT_ROLES, Membership, Role
from yuanjiang.org.models import Organization, Program

VIEW = "view"
CHANGE = "change"


def _is_global_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser)


def _memberships(user) -> list[Membership]:
    cache = getattr(user, "_yj_memberships", None)
    if cache is None:
        cache = list(Membership.objects.filter(user=user).select_related("organization"))
        user._yj_memberships = cache
    return cache


def _program_q(memberships) -> Q | None:
    q = None
    for m in memberships:
        part = Q(pk=m.program_id) if m.program_id else Q(provider__path__startswith=m.organization.path)
        q = part if q is None else q | part
    return q


def programs(user, action: str = VIEW) -> QuerySet[Program]:
    """The programs `user` may view (or change): a lazy queryset, usable as a subquery."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Program.objects.none()
    if _is_global_admin(user):
        return Program.objects.all()
    ms = _memberships(user)
    if action == CHANGE:
        ms = [m for m in ms if m.role in EDIT_ROLES]
    q = _program_q(ms)
    return Program.objects.filter(q) if q is not None else Program.objects.none()


def restriction(user) -> QuerySet[Program] | None:
    """What a figure's Scope.visible should be for `user`: None for a global admin, who sees every
    program (figures then need no restriction, and the metrics' compiled SQL serves them), else the
    programs they may view."""
    return None if _is_global_admin(user) else programs(user)


def organizations(user) -> QuerySet[Organization]:
    """The organizations whose subtree `user` may read as a whole (for roll-ups)."""
    if _is_global_admin(user):
        return Organization.objects.all()
    if user is None or not user.is_authenticated:
        return Organization.objects.none()
    q = None
    for m in _memberships(user):
        if m.organization_id:
            part = Q(path__startswith=m.organization.path)
            q = part if q is None else q | part
    return Organization.objects.filter(q) if q is not None else Organization.objects.none()


def has_role(user, roles, program: Program | None = None) -> bool:
    """Whether `user` holds one of `roles` anywhere (or for `program`, directly or through an organization)."""
    if _is_global_admin(user):
        return True
    if user is None or not user.is_authenticated:
        return False
    roles = {Role(r) for r in roles}
    for m in _memberships(user):
        if m.role not in roles:
            continue
        if program is None:
            return True
        if m.program_id == program.pk:
            return True
        if m.organization_id and program.provider.path.startswith(m.organization.path):
            return True
    return False


def may_use_shared(user, action: str = VIEW) -> bool:
    """Shared reference records (DomainModel.shared): every active signed-in user reads them; users
    who may change some program (clerk, lead, admin) change them. No query beyond the memberships."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if action != CHANGE or _is_global_admin(user):
        return True
    return any(m.role in EDIT_ROLES for m in _memberships(user))


REFERENCE_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


def _owned(model) -> bool:
    """A shared record with an owner program (investment: Enterprise, Institution, Park)."""
    return any(f.name == "owner" for f in model._meta.concrete_fields)


def _owned_change_q(user) -> Q | None:
    """Which owned shared records `user` may change: those of programs they may change, and the
    unowned ones (reference data) for a supervisor. None: all (a global admin)."""
    if _is_global_admin(user):
        return None
    q = Q(owner__in=programs(user, CHANGE).values("pk"))
    if has_role(user, REFERENCE_ROLES):
        q |= Q(owner__isnull=True)
    return q


def restrict(queryset: QuerySet, user, action: str = VIEW) -> QuerySet:
    """`queryset` limited to the rows of the programs `user` may view (or change).

    Shared reference records are not per program: every signed-in user reads all of them. One with an
    owner program is changed only by that program's users (a supervisor or admin: the unowned ones)."""
    model = queryset.model
    if getattr(model, "shared", False):
        if action == CHANGE and _owned(model):
            if user is None or not user.is_authenticated or not user.is_active:
                return queryset.none()
            q = _owned_change_q(user)
            return queryset if q is None else queryset.filter(q)
        return queryset if may_use_shared(user, action) else queryset.none()
    path = "pk" if model is Program else getattr(model, "scope_path", None)
    if not path:
        raise TypeError(f"{model.__name__} has no scope_path: it cannot be scoped to programs.")
    if _is_global_admin(user) and user.is_active:
        # Every program: no subquery of all programs (it would steer the planner off the query's own
        # indexes); only the rows that belong to no program are left out, as the subquery leaves them.
        return queryset if _never_null(model, path) else queryset.filter(**{f"{path}__isnull": False})
    return queryset.filter(**{f"{path}__in": programs(user, action).values("pk")})


def _never_null(model, path: str) -> bool:
    """Whether every relation along `path` (a scope_path) is required: each row then has a program."""
    if path == "pk":
        return True
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.null or not field.is_relation:
            return False
        model = field.related_model
    return True


def can_change(user, obj) -> bool:
    if getattr(obj, "shared", False) and _owned(type(obj)):
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        if _is_global_admin(user):
            return True
        if obj.owner_id is None:
            return has_role(user, REFERENCE_ROLES)
        return programs(user, CHANGE).filter(pk=obj.owner_id).exists()
    if getattr(obj, "shared", False):
        return may_use_shared(user, CHANGE)
    program = obj.program_of()
    return program is not None and programs(user, CHANGE).filter(pk=program.pk).exists()
