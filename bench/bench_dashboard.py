"""The dashboards at scale: the program dashboard and the country roll-up, server time and queries.

    .venv/bin/python bench/bench_dashboard.py [--size small|medium|national] [--keep PATH] [--runs 9]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yj_dash .venv/bin/python bench/bench_dashboard.py --size national

Builds (or reuses, with `--keep PATH` or on DATABASE_URL) the synthetic dataset of bench/scale_data.py
(the builder bench/bench_scale.py uses; national: 209 programs, 30 000 aid projects, 150 000 fund
transactions, 100 000 progress reports), refreshes the planner statistics as the product does after
an import, then requests each page through the test client (the whole server side: view, figures,
charts, warnings, template) and prints its status, number of queries, and the medians of the wall
clock and of this process's CPU time over --runs (SQLite runs in this process; the wall clock also
counts waiting for a CPU on a shared machine). Run it at two sizes to see that the queries do not
grow with the records (tests/test_dashboard.py asserts it).
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchenv import ROOT, open_scale_database

assert ROOT


def count_queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="small", choices=("small", "medium", "national"))
    parser.add_argument("--keep", type=Path, help="SQLite file to build into, or reuse when already built")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        open_scale_database(args.size, args.keep, tmp)
        from yuanjiang.core.maintenance import optimize

        optimize()
        return measure(args.runs)


def measure(runs: int) -> int:
    from django.test import Client
    from django.urls import reverse

    from bench import scale_data
    from yuanjiang.org.models import Organization, Program
    from yuanjiang.projects.models import AidProject

    root = Organization.objects.get(slug=scale_data.ROOT_SLUG)
    program = Program.objects.filter(slug__startswith="bench-").order_by("-batch", "slug").first()
    clerk_program = Program.objects.filter(membership__user=scale_data.clerk()).first() or program
    admin = Client(HTTP_HOST="127.0.0.1")
    admin.force_login(scale_data.superuser())
    clerk = Client(HTTP_HOST="127.0.0.1")
    clerk.force_login(scale_data.clerk())
    rollup = reverse("org:organization_detail", args=[root.slug])
    pages = {
        "program dashboard (admin)": (admin, reverse("org:program_detail", args=[program.slug])),
        "program dashboard (clerk)": (clerk, reverse("org:program_detail", args=[clerk_program.slug])),
        "program warnings": (admin, reverse("warnings:program", args=[program.slug])),
        "country roll-up (top 20)": (admin, rollup),
        "country roll-up, every program": (admin, rollup + "?all=1"),
        "country roll-up, 医疗 domain": (admin, rollup + "?domain=health"),
        "country roll-up, XLSX export": (admin, rollup + "?format=xlsx"),
    }
    print(
        f"{Program.objects.count()} programs, {AidProject.objects.count()} aid projects; "
        f"program {program.slug}: {AidProject.objects.filter(program=program).count()} projects"
    )
    print(f"{'page':<36}{'status':>7}{'queries':>9}{'wall ms':>10}{'cpu ms':>9}")
    for name, (client, url) in pages.items():
        response = client.get(url)  # warm-up
        if response.status_code != 200:
            raise SystemExit(f"{name}: HTTP {response.status_code} ({url})")
        queries = count_queries(lambda c=client, u=url: c.get(u))
        wall, cpu = [], []
        for _ in range(runs):
            t0, c0 = time.perf_counter(), time.process_time()
            client.get(url)
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        print(
            f"{name:<36}{response.status_code:>7}{queries:>9}{statistics.median(wall):>10.1f}"
            f"{statistics.median(cpu):>9.1f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
