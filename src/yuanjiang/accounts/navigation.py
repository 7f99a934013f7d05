from yuanjiang.common.navigation import USER, MenuItem


def _reads_changelog(user, context) -> bool:
    return bool(context.get("can_read_changelog"))  # accounts.context_processors.scope


menu = [
    MenuItem("账号日志", "accountevent_list", order=120, visible=_reads_changelog),
    MenuItem("修改密码", "password_change", order=10, area=USER),
]
