"""Peak memory of rendering a report card PDF, in a process of its own (as a worker would).

    .venv/bin/python bench/bench_pdf_memory.py --keep var/bench/national.sqlite3 [--scope program|country]
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_pdf_memory.py

Uses a build of bench/bench_scale.py (the --keep SQLite file, or DATABASE_URL): a fresh Python process
sets Django up, builds the report card of one program (or the whole country), renders its PDF twice
(the second shows what a worker keeps after the first) and prints the process's peak resident memory
(ru_maxrss) after setup, after the first and after the second PDF, and the PDF's size. The goal is a
peak under 200 MB. The CJK font subsets (reports/render/fontcache.py) are made first, once per
machine, in var/bench-pdf (not counted); `--system-fonts` renders without them, as before.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, "bench")
from benchenv import setup_django

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

args = json.loads(sys.argv[1])
setup_django(args["var"], args["database_url"], sqlite_path=Path(args["sqlite"]) if args["sqlite"] else None)
from yuanjiang.reports.render import fontcache
if args["subsets"]:
    fontcache.make_now()  # made once per machine, before (not counted in the worker's peak)
    assert fontcache.subsets(), "font subsets missing"
from bench import scale_data
from yuanjiang.metrics.scope import Scope
from yuanjiang.org.models import Organization
from yuanjiang.org.periods import Period
from yuanjiang.reports import definition as defs
from yuanjiang.reports import render, services

out = {"after setup": peak_mb()}
program = scale_data.clerk_program()
if args["scope"] == "program":
    scope, period = Scope(program=program), Period(program.term_start, program.term_end)
else:
    import datetime as dt
    scope = Scope(organization=Organization.objects.get(slug=scale_data.ROOT_SLUG))
    period = Period(dt.date(2017, 1, 1), dt.date(2025, 12, 31))
for run in ("first PDF", "second PDF"):
    t0 = time.perf_counter()
    report = services.report_build(defs.load("default"), scope, period)
    pdf = render.render(report, "pdf")
    out[run] = peak_mb()
    out[run + " s"] = time.perf_counter() - t0
out["pdf bytes"] = len(pdf)
print(json.dumps(out))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="the SQLite file bench_scale.py built")
    parser.add_argument("--scope", choices=("program", "country"), default="program")
    parser.add_argument(
        "--system-fonts",
        action="store_true",
        help="render with the system's whole CJK fonts (the subsets not made: the memory before)",
    )
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    on_postgres = database_url.startswith("postgres")
    if not on_postgres and (args.keep is None or not args.keep.exists()):
        raise SystemExit("请用 --keep 指定 bench_scale.py 已建好的 SQLite 文件，或设置 DATABASE_URL。")
    spec = {
        "database_url": database_url if on_postgres else None,
        "sqlite": None if on_postgres else str(args.keep.resolve()),
        "scope": args.scope,
        "subsets": not args.system_fonts,
    }
    root = Path(__file__).resolve().parent.parent
    # A var folder of its own, kept: the font subsets are made there once.
    spec["var"] = str(root / "var" / ("bench-pdf" if not args.system_fonts else "bench-pdf-system"))
    Path(spec["var"]).mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(spec)], cwd=root, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        return result.returncode
    out = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"report card PDF ({args.scope}), peak resident memory of the process:")
    for key in ("after setup", "first PDF", "second PDF"):
        timing = f" ({out[key + ' s']:.1f} s)" if key + " s" in out else ""
        print(f"  {key:<12} {out[key]:>7.0f} MB{timing}")
    print(f"  PDF size     {out['pdf bytes'] / 1024:>7.0f} KB; goal: peak < 200 MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
