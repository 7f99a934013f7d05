"""The REST API's list pages at scale: a list of at least 10 000 rows paged through with the cursor.

    .venv/bin/python bench/bench_api.py [--size small|medium|national] [--keep PATH] [--pages 20] [--runs 5]

Builds (or reuses, with --keep) the synthetic dataset of bench/scale_data.py — the builder
bench/bench_scale.py uses — then, through the test client with an API token (as the product serves
it: token authentication, account-log entry, scoping, the list page's FilterSet, cursor pagination),
times GET /api/v1/<record type>/ page after page following `next`, as a superuser (the whole country)
and as one program's clerk, and prints per list: rows in scope, pages read, the median and the worst
milliseconds per page, and the queries per page (the same on every page).
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchenv import open_scale_database

LISTS = ("projects/fundtransaction", "projects/progressreport", "projects/aidproject")


def page_through(client, url, pages):
    times = []
    for _ in range(pages):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        url = body["next"]
        if url is None:
            break
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="medium", choices=("small", "medium", "national"))
    parser.add_argument("--keep", type=Path, help="SQLite file to build into, or reuse when already built")
    parser.add_argument("--pages", type=int, default=20, help="pages to follow per list (50 rows each)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        open_scale_database(args.size, args.keep, tmp, filename="api.sqlite3")
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from bench import scale_data
        from yuanjiang.core.maintenance import optimize

        optimize()
        from yuanjiang.accounts import scoping
        from yuanjiang.api import registry
        from yuanjiang.api.models import ApiToken

        models = {e.prefix: e.model for e in registry.endpoints()}

        def queries_of(client, url) -> int:
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            return len(ctx.captured_queries)

        print(f"{'user':<12}{'list':<28}{'rows':>8}{'pages':>7}{'median ms':>11}{'max ms':>9}{'queries':>9}")
        for who, user in (("superuser", scale_data.superuser()), ("clerk", scale_data.clerk())):
            raw = ApiToken.issue(user, "bench")[1]
            client = Client(HTTP_AUTHORIZATION=f"Token {raw}", HTTP_HOST="127.0.0.1")
            for name in LISTS:
                rows = scoping.restrict(models[name].objects.all(), user).count()
                times = []
                for _ in range(args.runs):
                    times += page_through(client, f"/api/v1/{name}/", args.pages)
                first = queries_of(client, f"/api/v1/{name}/")
                later_url = client.get(f"/api/v1/{name}/").json()["next"]
                later = queries_of(client, later_url) if later_url else first
                print(
                    f"{who:<12}{name:<28}{rows:>8}{len(times) // args.runs:>7}"
                    f"{statistics.median(times):>11.1f}{max(times):>9.1f}"
                    f"{first if first == later else f'{first}/{later}':>9}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
