"""Figures computed once per state of the data: what `registry.evaluate`, `evaluate_with_programs`
and `evaluate_by_program` computed (and the navigation's 待办 counts, review.inbox.counts, and the
roll-up's warning counts, warnings.services.counts) is kept and served again until the domain data
changes.

The state of the data is a token (`DataState`, one row): every committed write of a DomainModel,
on every path the write kernel sees (a save, a delete, `QuerySet.update()`, the bulk paths, fixtures,
cascades), replaces it with a new random token once its transaction has committed (the kernel hook
`written`); so do `migrate` and `flush` (data migrations write outside the kernel: `migrated`). A
value is kept under the token read *before* it was computed, so a value computed while a write
commits is kept under the old token, which nothing reads again; and a token is never reused (a
database restored from a backup brings back its own token, whose values are those of that very
data). The key also holds what was computed: (kind, codes, scope, viewer restriction, review switch,
period) and today's date (a figure as of today changes at midnight).

Nothing is served from the cache to a transaction that has written (it would not see its own
writes): the connection then has the token's replacement pending (`dirty`). A kept value expires
after `settings.FIGURE_CACHE_SECONDS` (default 600 s): a bound on how long a replacement lost to a
crash between a commit and its callback could leave figures behind. `FIGURE_CACHE_SECONDS = 0` turns
the cache off (the engine's own tests, bench/bench_scale.py's figure table).

A write outside the kernel (raw SQL on the database) is not seen: replace the token after it
(`replace_token()`), as tests/demo_snapshot.py does after restoring rows.

The kept values live in the Django cache `figures` (settings.CACHES; per process: each server process
keeps its own copies, all keyed by the one token in the database).
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.utils import timezone

TABLE = "metrics_datastate"


def _token(connection) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {connection.ops.quote_name(TABLE)} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def replace_token(using: str = "default") -> None:
    """A new state of the data (after a committed write): figures kept so far are not read again."""
    connection = connections[using]
    table = connection.ops.quote_name(TABLE)
    token = uuid.uuid4().hex
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET token = %s, changed_at = %s WHERE id = 1", [token, now])
        if cursor.rowcount == 0:
            cursor.execute(f"INSERT INTO {table} (id, token, changed_at) VALUES (1, %s, %s)", [token, now])


def migrated(sender, using="default", plan=None, **kwargs) -> None:
    """post_migrate: after `migrate` applied migrations (data migrations write outside the kernel) and
    after `flush` (no plan: the tables were emptied). A `migrate` with nothing to apply changes nothing
    (a restored backup keeps its own token)."""
    if plan is not None and not plan:
        return
    if TABLE in connections[using].introspection.table_names():
        replace_token(using)


class _Replace:
    """The on-commit callback of one connection's transaction: its presence in the connection's
    pending callbacks is what marks the transaction as having written (Django drops it with a
    rolled-back transaction or savepoint)."""

    def __init__(self, using: str):
        self.using = using

    def __call__(self):
        replace_token(self.using)


def _pending(connection) -> bool:
    return any(isinstance(func, _Replace) for _sids, func, _robust in connection.run_on_commit)


def written(write) -> None:
    """Kernel hook, after every write of a DomainModel: replace the token once the write commits
    (at once outside a transaction)."""
    if dirty(write.using):
        return  # this transaction replaces it once, when it commits
    connections[write.using].on_commit(_Replace(write.using), robust=True)


def dirty(using: str = "default") -> bool:
    """Whether the connection's transaction has written domain data not yet committed."""
    connection = connections[using]
    return connection.in_atomic_block and _pending(connection)


def _seconds() -> int:
    return int(getattr(settings, "FIGURE_CACHE_SECONDS", 600))


def key(kind: str, parts: tuple, using: str = "default", *, plan: bool = False) -> str | None:
    """The cache key of a computation (None: compute, keep nothing): `parts` name what it computes
    (codes, scope, restriction, review, period); the token and today's date are added here. `plan`:
    a step of planning (which programs a restriction leaves), kept even with the figure cache off,
    like compiled statements."""
    if (_seconds() <= 0 and not plan) or dirty(using):
        return None
    token = _token(connections[using])
    if token is None:
        return None
    raw = repr((kind, using, token, timezone.localdate().isoformat(), parts))
    return "yj-fig:" + hashlib.sha256(raw.encode()).hexdigest()


def get(cache_key: str | None):
    if cache_key is None:
        return None
    return caches["figures"].get(cache_key)


def put(cache_key: str | None, value) -> None:
    if cache_key is not None:
        caches["figures"].set(cache_key, value, _seconds() or 600)
