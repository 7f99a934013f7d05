"""Who is acting, in which request: set by middleware (web) or `acting_as` (commands, jobs)."""

import contextlib
import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class ChangeContext:
    actor_id: int | None = None
    actor_name: str = ""
    request_id: str = ""
    source: str = ""  # "web", "admin", "command:<name>", "demo" ...


NOBODY = ChangeContext()
_current: contextvars.ContextVar[ChangeContext] = contextvars.ContextVar("yj_change_context", default=NOBODY)


def current() -> ChangeContext:
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextlib.contextmanager
def acting_as(user=None, *, source: str, request_id: str | None = None):
    """Attribute every change made inside the block to `user` (or to the system) and `source`."""
    ctx = ChangeContext(
        actor_id=getattr(user, "pk", None),
        actor_name=(user.get_username() if user is not None else ""),
        request_id=request_id or new_request_id(),
        source=source,
    )
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
