"""review's header link: 待办, with the count of what waits for the user (review.context_processors)."""

from yuanjiang.common.navigation import MenuItem


def _has_inbox(user, context) -> bool:
    return bool(context.get("inbox_counts"))


menu = [MenuItem("待办", "review:inbox", order=10, visible=_has_inbox, template="review/nav_inbox.html")]
