"""Early warnings at scale: `evaluate` (full warnings) against `counts` (the roll-up's count path).

    .venv/bin/python bench/bench_warnings.py --keep /tmp/national.sqlite3 [--runs 7] [--on 2026-12-06]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/bench_warnings.py --size small

On the national build of bench/scale_data.py (built when missing, as bench/bench_dashboard.py does;
209 programs, 30 000 aid projects, 150 000 fund transactions), for the 20 programs with the most
援疆资金 (what the country roll-up shows by default) and for every program (`?all=1`): the number of
warnings, the queries, and the medians over --runs of the wall clock and of this process's CPU time
(SQLite runs in this process) of

  evaluate   services.counts_by_program(services.evaluate(programs))  (what the roll-up did)
  counts     services.counts(programs)                               (what it does now)

and checks that both give the same {program: {severity: n}}. Without `services.counts` (an older
tree) only `evaluate` is measured.
"""

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchenv import ROOT, open_scale_database

assert ROOT


def timed(fn, runs: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        result = fn()  # warm-up, and the queries
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return result, len(ctx.captured_queries), statistics.median(wall), statistics.median(cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="national", choices=("small", "medium", "national"))
    parser.add_argument("--keep", type=Path, help="SQLite file to build into, or reuse when already built")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--on", type=dt.date.fromisoformat, help="the date judged (default today)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        open_scale_database(args.size, args.keep, tmp)
        return measure(args.runs, args.on)


def measure(runs: int, on) -> int:
    from django.db.models import Sum

    from yuanjiang.org.models import Program
    from yuanjiang.warnings import services

    every = list(Program.objects.order_by("pk"))
    top = list(Program.objects.annotate(funds=Sum("aid_projects__aid_funds")).order_by("-funds", "pk")[:20])
    has_counts = hasattr(services, "counts")
    print(f"{len(every)} programs; judged on {on or 'today'}; medians of {runs}")
    print(f"{'programs':<10}{'path':<10}{'warnings':>10}{'queries':>9}{'wall ms':>10}{'cpu ms':>9}")
    for name, programs in (("20", top), (str(len(every)), every)):
        full, q, wall, cpu = timed(
            lambda p=programs: services.counts_by_program(services.evaluate(p, on=on)), runs
        )
        total = sum(sum(by.values()) for by in full.values())
        print(f"{name:<10}{'evaluate':<10}{total:>10}{q:>9}{wall:>10.1f}{cpu:>9.1f}", flush=True)
        if has_counts:
            fast, q, wall, cpu = timed(lambda p=programs: services.counts(p, on=on), runs)
            total = sum(sum(by.values()) for by in fast.values())
            same = "equal" if fast == full else "DIFFERENT"
            print(f"{name:<10}{'counts':<10}{total:>10}{q:>9}{wall:>10.1f}{cpu:>9.1f}  {same}", flush=True)
            if fast != full:
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
