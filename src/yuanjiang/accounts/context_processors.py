from yuanjiang.accounts import scoping
from yuanjiang.accounts.models import CHANGELOG_ROLES


def scope(request):
    """Navigation needs: the programs the user may see, and whether the change stream is open to them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_programs": scoping.programs(user).select_related("provider").order_by("name"),
        "nav_organizations": scoping.organizations(user).filter(kind__in=["province", "front_command"]),
        "can_read_changelog": scoping.has_role(user, CHANGELOG_ROLES),
    }
