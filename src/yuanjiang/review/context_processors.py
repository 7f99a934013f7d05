"""The navigation's 待办 counts (review.inbox.counts), computed only when a page shows them."""

from django.utils.functional import SimpleLazyObject


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def _counts():
        from yuanjiang.review.inbox import counts

        c = counts(user)
        return {**c, "total": c["to_review"] + c["returned"]}

    return {"inbox_counts": SimpleLazyObject(_counts)}
