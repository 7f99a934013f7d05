from yuanjiang.accounts import scoping
from yuanjiang.accounts.models import CHANGELOG_ROLES

# The header links at most this many programs and organizations: a national scope (209 programs,
# 38 provinces and front commands) would put hundreds of links on every page. Beyond it, the
# organizations' own pages list their programs.
NAV_MAX = 12


def scope(request):
    """Navigation needs: the programs the user may see, and whether the change stream is open to them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    programs = list(scoping.programs(user).select_related("provider").order_by("name")[: NAV_MAX + 1])
    organizations = list(
        scoping.organizations(user).filter(kind__in=["province", "front_command"])[: NAV_MAX + 1]
    )
    return {
        "nav_programs": programs[:NAV_MAX] if len(programs) <= NAV_MAX or not organizations else [],
        "nav_organizations": organizations[:NAV_MAX],
        "nav_more": len(programs) > NAV_MAX or len(organizations) > NAV_MAX,
        "can_read_changelog": scoping.has_role(user, CHANGELOG_ROLES),
    }
