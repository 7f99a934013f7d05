"""Load on the production server: N users at once, reads and writes through the web forms.

    .venv/bin/python bench/bench_load.py [--clients 20] [--seconds 30] [--workers 2] [--threads 8]

Builds a throw-away database (a SQLite file under a temporary folder; with DATABASE_URL set, that
PostgreSQL database, which must be empty), starts `yuanjiang serve` on 127.0.0.1 and a free port,
runs the load of tests/test_load.py and prints throughput, latency percentiles, status counts and
whether every confirmed write is stored and logged. Traffic goes to 127.0.0.1 only.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests import ops_support as ops  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--writes-every", type=int, default=4, help="every n-th request is a write")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = ops.environment(tmp / "var", os.environ.get("DATABASE_URL"))
        database = env.get("DATABASE_URL", "sqlite").split(":")[0]
        program_pk = int(ops.helper(env, "setup").stdout.strip())
        server = ops.Server(env, tmp / "server.log", workers=args.workers, threads=args.threads)
        try:
            result = ops.run_load(
                server, program_pk, clients=args.clients, seconds=args.seconds, writes_every=args.writes_every
            )
        finally:
            server.stop()
        stored = ops.stored_projects(env)
    lost = len(set(result.created) - set(stored["codes"]))
    phantom = len(set(stored["codes"]) - set(result.created))
    print(
        f"{database}, {args.clients} users, {args.workers} processes × {args.threads} threads, "
        f"one write in {args.writes_every} requests"
    )
    print(f"  requests      {result.requests} in {result.seconds:.1f} s = {result.throughput:.1f} requests/s")
    print(
        f"  latency       p50 {result.percentile(0.5) * 1000:.0f} ms, p95 {result.percentile(0.95) * 1000:.0f} ms, "
        f"p99 {result.percentile(0.99) * 1000:.0f} ms, max {max(result.latencies, default=0) * 1000:.0f} ms"
    )
    print(f"  statuses      {dict(sorted(result.statuses.items()))}; {len(result.errors)} connection errors")
    print(
        f"  writes        {len(result.created)} confirmed, {len(stored['codes'])} stored, "
        f"{stored['logged']} logged; lost {lost}, phantom {phantom}"
    )
    ok = not result.errors and result.server_errors == 0 and lost == phantom == 0
    ok = ok and stored["logged"] == len(result.created)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
