"""{% review_actions obj %}: a record's review status and the buttons the user may press (no query
per row: permissions are per program, cached per request). {% review_switch %}: what figures count."""

from django import template
from django.urls import reverse

from yuanjiang.review import permissions
from yuanjiang.review.choices import COUNTS, ReviewStatus
from yuanjiang.review.models import Reviewable

register = template.Library()


@register.filter
def is_reviewable(model_or_obj) -> bool:
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    return issubclass(model, Reviewable)


@register.inclusion_tag("review/_actions.html", takes_context=True)
def review_actions(context, obj):
    request = context["request"]
    user = request.user
    pid = permissions.program_id(obj)
    status = obj.review_status
    can_submit = pid in permissions.changeable_ids(user) and status in (
        ReviewStatus.DRAFT,
        ReviewStatus.RETURNED,
    )
    can_review = pid in permissions.reviewer_ids(user)
    label = obj._meta.label_lower

    def url(action):
        return reverse("review:record_action", args=[label, obj.pk, action])

    return {
        "obj": obj,
        "status": status,
        "status_label": obj.get_review_status_display(),
        "note": obj.review_note,
        "submit_url": url("submit") if can_submit else None,
        "approve_url": url("approve") if can_review and status == ReviewStatus.SUBMITTED else None,
        "return_url": url("return")
        if can_review and status in (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED)
        else None,
        "next": request.get_full_path(),
    }


@register.inclusion_tag("review/_switch.html", takes_context=True)
def review_switch(context):
    request = context["request"]
    current = request.GET.get("review") or ""
    options = [("", "按各指标默认口径"), *COUNTS.items()]
    links = []
    for value, label in options:
        params = request.GET.copy()
        params.pop("page", None)
        if value:
            params["review"] = value
        else:
            params.pop("review", None)
        links.append((label, "?" + params.urlencode(), value == current))
    return {"links": links}


@register.filter
def verbose_name_plural(model) -> str:
    return model._meta.verbose_name_plural


@register.filter
def edit_url(obj) -> str:
    """The record's edit page ("<app>:<model>_edit"), or "" when it has none."""
    from django.urls import NoReverseMatch

    try:
        return reverse(f"{obj._meta.app_label}:{obj._meta.model_name}_edit", args=[obj.pk])
    except NoReverseMatch:
        return ""
