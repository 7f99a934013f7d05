"""core's header links: the change stream (for the roles that read it) and Django's admin (staff)."""

from yuanjiang.common.navigation import MenuItem, staff_only


def _reads_changelog(user, context) -> bool:
    return bool(context.get("can_read_changelog"))  # accounts.context_processors.scope


menu = [
    MenuItem("变更日志", "objectchange_list", order=110, visible=_reads_changelog),
    MenuItem("系统管理", "admin:index", order=130, visible=staff_only),
]
