"""python -m bench [--quick | --full] [--only NAME[,NAME]] [--db sqlite|postgres|both] [--json PATH]

Prints one line per figure as each benchmark finishes (the measured value, the baseline taken in the same run, the
ratio and MET/MISSED), then a table of all figures, and writes the same figures as JSON, with the run's metadata,
notes and errors, to bench/results/<mode>-<YYYYmmdd-HHMMSS>.json (UTC) and bench/results/latest-<mode>.json.
PostgreSQL runs only when DVFLOW_BENCH_POSTGRES_URL or DVFLOW_TEST_POSTGRES_URL is set.
"""
from __future__ import annotations

import argparse
import logging
import os
import platform
import sqlite3
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from .common import ROOT, Results, postgres_base_url
from .report import json_paths

BENCHMARKS = ("transition", "intake", "engine", "sweep", "http", "memory", "pages", "bpmn")


@dataclass(frozen=True)
class Config:
    mode: str
    repeats: int
    transition_cases: int
    transition_n: int
    intake_n: int
    engine_performs: int
    engine_views: int
    sweep_open: tuple[int, int]  # small, large open-case counts (same due count)
    sweep_due: tuple[int, int]  # small, large due counts
    memory_open_small: int  # the scheduler's memory: after sweeping this many open cases, then the large set
    http_requests: int
    http_clients: int
    web_rss_requests: int


QUICK = Config("quick", repeats=3, transition_cases=20, transition_n=100, intake_n=60, engine_performs=100,
               engine_views=10_000, sweep_open=(10_000, 100_000), sweep_due=(100, 1_000), memory_open_small=10_000,
               http_requests=200, http_clients=4, web_rss_requests=500)
FULL = Config("full", repeats=3, transition_cases=50, transition_n=500, intake_n=300, engine_performs=500,
              engine_views=10_000, sweep_open=(100_000, 1_000_000), sweep_due=(10_000, 100_000),
              memory_open_small=10_000, http_requests=2_000, http_clients=20, web_rss_requests=10_000)


def machine_info() -> dict:
    """CPU count, load average, Python / SQLite / PostgreSQL versions (and the main libraries' and the commit)."""
    info = {"cpu_count": os.cpu_count(), "load_average": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version, "postgresql": None,
            "postgresql_status": "not configured", "platform": platform.platform()}
    if postgres_base_url():
        try:
            import psycopg
            from sqlalchemy import make_url

            u = make_url(postgres_base_url()).set(drivername="postgresql", database="postgres")
            with psycopg.connect(u.render_as_string(hide_password=False)) as c:
                info["postgresql"] = c.execute("SHOW server_version").fetchone()[0]
                info["postgresql_status"] = "ok"
        except Exception as exc:  # noqa: BLE001
            info["postgresql_status"] = f"unreachable ({exc.__class__.__name__})"
    info["packages"] = {}
    for dist in ("SQLAlchemy", "psycopg", "gunicorn", "Flask", "transitions", "SpiffWorkflow"):
        try:
            info["packages"][dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            info["packages"][dist] = None
    try:  # read-only: GIT_OPTIONAL_LOCKS=0 keeps `git status` from touching the index others may be using
        env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, env=env,
                               capture_output=True, text=True, timeout=10)
        if commit.returncode == 0:
            info["git"] = {"commit": commit.stdout.strip(), "dirty": bool(dirty.stdout.strip())}
    except (OSError, subprocess.SubprocessError):
        pass
    return info


def machine_line(info: dict) -> str:
    if info["postgresql"]:
        pg = f", PostgreSQL {info['postgresql']}"
    elif info["postgresql_status"] == "not configured":
        pg = ", PostgreSQL not configured"
    else:
        pg = f", PostgreSQL {info['postgresql_status']}"
    return (f"machine: {info['cpu_count']} cpu, load {info['load_average'][0]:.2f}, Python {info['python']}, "
            f"SQLite {info['sqlite']}" + pg)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="small sizes, < 3 minutes (default)")
    mode.add_argument("--full", action="store_true", help="the issue's sizes (for RESULTS.md)")
    ap.add_argument("--only", default="", help=f"comma-separated subset of: {', '.join(BENCHMARKS)}")
    ap.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    ap.add_argument("--sweep-open", default="", help="override the sweep's open-case sizes, e.g. 100000,1000000")
    ap.add_argument("--sweep-due", default="", help="override the sweep's due-step sizes, e.g. 10000,100000")
    ap.add_argument("--json", metavar="PATH", default="",
                    help="write the results JSON to PATH instead of bench/results/<mode>-<UTC time>.json and "
                         "bench/results/latest-<mode>.json")
    args = ap.parse_args(argv)
    cfg = FULL if args.full else QUICK
    if args.sweep_open or args.sweep_due:
        from dataclasses import replace

        pair = lambda s: tuple(int(x) for x in s.split(","))  # noqa: E731
        cfg = replace(cfg, **({"sweep_open": pair(args.sweep_open)} if args.sweep_open else {}),
                      **({"sweep_due": pair(args.sweep_due)} if args.sweep_due else {}))
    only = [x.strip() for x in args.only.split(",") if x.strip()] or list(BENCHMARKS)
    unknown = set(only) - set(BENCHMARKS)
    if unknown:
        ap.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    skipped_pg = None
    if "postgres" in kinds and not postgres_base_url():
        if args.db == "postgres":
            ap.error("--db postgres needs DVFLOW_BENCH_POSTGRES_URL or DVFLOW_TEST_POSTGRES_URL")
        kinds.remove("postgres")
        skipped_pg = "PostgreSQL: not measured (set DVFLOW_BENCH_POSTGRES_URL or DVFLOW_TEST_POSTGRES_URL); SQLite only"
        print(f"# {skipped_pg}")
    os.environ.setdefault("DVFLOW_ENV", "testing")
    logging.getLogger("dvflow").setLevel(logging.WARNING)
    started = datetime.now(timezone.utc)
    machine = machine_info()
    print(f"# dvflow bench, {cfg.mode} mode, {time.strftime('%Y-%m-%d %H:%M %Z')}; {machine_line(machine)}")
    print("# shared machine: other processes (tests) may run meanwhile; ratios are taken within one run, "
          "interleaved where possible, but expect ±10–20% noise on absolute rates")
    results = Results({"mode": cfg.mode, "started_at": started.isoformat(timespec="seconds"), "finished_at": None,
                       "total_seconds": None, "interrupted": False, "argv": sys.argv[1:] if argv is None else argv,
                       "benchmarks": only, "databases": kinds, "machine": machine, "config": asdict(cfg)})
    if skipped_pg:
        results.note(skipped_pg, echo=False)
    t0 = time.perf_counter()
    import importlib

    try:
        for name in only:
            module = importlib.import_module(f"bench.{name}")
            for kind in kinds:
                t = time.perf_counter()
                results.begin(name, kind)
                ok = False
                try:
                    module.run(kind, cfg, results)
                    ok = True
                except Exception as exc:  # one broken benchmark never hides the others
                    import traceback

                    traceback.print_exc()
                    results.error(exc, name=name, db=kind)
                took = time.perf_counter() - t
                results.end(took, ok)
                print(f"  # {name}.{kind} took {took:.1f}s", flush=True)
    except KeyboardInterrupt:  # keep what was measured so far
        results.meta["interrupted"] = True
        print("# interrupted: the table and the JSON hold the figures measured so far")
    total = time.perf_counter() - t0
    results.meta.update(finished_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                        total_seconds=round(total, 1), load_average_end=[round(x, 2) for x in os.getloadavg()])
    print(f"# total {total:.0f}s")
    print()
    print(results.table())
    paths = json_paths(cfg.mode, started, args.json or None)
    results.write_json(paths)
    print(f"# JSON: {', '.join(_shown(p) for p in paths)}")
    return 130 if results.meta["interrupted"] else 0


def _shown(path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
