"""The bounded load test (issue 7): the production server (`yuanjiang serve`: gunicorn on 127.0.0.1
and a free port) against a SQLite database file of its own (WAL, busy timeout), 20 users at once for
30 s, mixing reads and writes through the web forms. No 5xx, no lost write (rows = confirmed
creates, each in the change log).

About 40 s; deselect with `-m "not load"`. It runs in the SQLite pass of `./yj test` and is skipped in
the DATABASE_URL pass (it would test the same file again); bench/bench_load.py runs the same load
with other sizes, and against DATABASE_URL's database too.
"""

import pytest
from django.conf import settings

from tests import ops_support as ops

CLIENTS = 20
SECONDS = 30


@pytest.mark.load
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the load test runs on a SQLite file, in the SQLite pass of ./yj test",
)
def test_twenty_users_reading_and_writing_for_30_seconds(tmp_path, capsys):
    env = ops.environment(tmp_path / "var")
    program_pk = int(ops.helper(env, "setup").stdout.strip())
    server = ops.Server(env, tmp_path / "server.log")
    try:
        result = ops.run_load(server, program_pk, clients=CLIENTS, seconds=SECONDS)
    finally:
        server.stop()
    stored = ops.stored_projects(env)
    with capsys.disabled():
        print(f"\nload test (SQLite file, {CLIENTS} users): {result.summary()}")

    assert not result.errors, result.errors[:5]
    assert result.server_errors == 0, (result.statuses, (tmp_path / "server.log").read_text()[-3000:])
    assert result.refused_writes == 0
    assert result.seconds >= SECONDS
    assert len(result.created) > 0 and result.requests > len(result.created) * 2
    # No lost write, no phantom write: the rows are exactly the creates the server confirmed ...
    assert stored["codes"] == sorted(result.created)
    # ... and every one of them is in the change log.
    assert stored["logged"] == len(result.created)
