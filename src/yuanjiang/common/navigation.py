"""The header's links, registered by the apps: each app that has pages declares its entries in
`<app>/navigation.py` (`menu = [MenuItem(...)]`), found by `common.discovery.app_modules`; base.html
renders them in `order`, so adding an app needs no edit of base.html.

An entry's `visible(user, context)` says who sees it (None: every signed-in user); it reads what the
context processors already computed (e.g. `can_read_changelog`), so the header adds no query. An entry
with a `template` renders itself (e.g. 待办 with its count)."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.urls import reverse

from yuanjiang.common.discovery import app_modules

MAIN = "main"  # the links after the programs and organizations
USER = "user"  # the links beside the user's name


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    order: int
    visible: Callable | None = None  # (user, context) -> bool; None: every signed-in user
    area: str = MAIN
    template: str | None = None  # renders the entry itself (it gets `item` and `url`)


@cache
def registered() -> tuple[MenuItem, ...]:
    """Every app's entries, in their order (then the apps' order)."""
    items = [item for module in app_modules("navigation") for item in getattr(module, "menu", ())]
    return tuple(sorted(items, key=lambda item: item.order))


def staff_only(user, context) -> bool:
    return user.is_staff


def entries(user, context, area: str = MAIN) -> list[dict]:
    """The entries of `area` that `user` sees, with their URLs."""
    return [
        {"item": item, "label": item.label, "url": reverse(item.url_name), "template": item.template}
        for item in registered()
        if item.area == area and (item.visible is None or item.visible(user, context))
    ]
