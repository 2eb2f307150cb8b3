"""python -m bench [--quick | --full] [--only NAME[,NAME]] [--db sqlite|postgres|both]

Prints one line per figure: the measured rate, each baseline taken in the same run, the ratio and MET/MISSED.
PostgreSQL runs only when DVFLOW_BENCH_POSTGRES_URL or DVFLOW_TEST_POSTGRES_URL is set.
"""
from __future__ import annotations

import argparse
import logging
import os
import platform
import sqlite3
import sys
import time
from dataclasses import dataclass

from .common import Results, postgres_base_url

BENCHMARKS = ("transition", "intake", "engine", "sweep", "http", "memory")


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
    http_requests: int
    http_clients: int
    web_rss_requests: int


QUICK = Config("quick", repeats=3, transition_cases=20, transition_n=100, intake_n=60, engine_performs=100,
               engine_views=10_000, sweep_open=(10_000, 100_000), sweep_due=(100, 1_000), http_requests=200,
               http_clients=4, web_rss_requests=500)
FULL = Config("full", repeats=3, transition_cases=50, transition_n=500, intake_n=300, engine_performs=500,
              engine_views=10_000, sweep_open=(100_000, 1_000_000), sweep_due=(10_000, 100_000), http_requests=2_000,
              http_clients=8, web_rss_requests=10_000)


def machine_line() -> str:
    pg = ""
    if postgres_base_url():
        try:
            import psycopg
            from sqlalchemy import make_url

            u = make_url(postgres_base_url()).set(drivername="postgresql", database="postgres")
            with psycopg.connect(u.render_as_string(hide_password=False)) as c:
                pg = "PostgreSQL " + c.execute("SHOW server_version").fetchone()[0]
        except Exception as exc:  # noqa: BLE001
            pg = f"PostgreSQL unreachable ({exc.__class__.__name__})"
    return (f"machine: {os.cpu_count()} cpu, load {os.getloadavg()[0]:.2f}, Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}" + (f", {pg}" if pg else ", PostgreSQL not configured"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="small sizes, < 3 minutes (default)")
    mode.add_argument("--full", action="store_true", help="the issue's sizes (for RESULTS.md)")
    ap.add_argument("--only", default="", help=f"comma-separated subset of: {', '.join(BENCHMARKS)}")
    ap.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    ap.add_argument("--sweep-open", default="", help="override the sweep's open-case sizes, e.g. 100000,1000000")
    ap.add_argument("--sweep-due", default="", help="override the sweep's due-step sizes, e.g. 10000,100000")
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
    if "postgres" in kinds and not postgres_base_url():
        if args.db == "postgres":
            ap.error("--db postgres needs DVFLOW_BENCH_POSTGRES_URL or DVFLOW_TEST_POSTGRES_URL")
        kinds.remove("postgres")
        print("# PostgreSQL: not measured (set DVFLOW_BENCH_POSTGRES_URL or DVFLOW_TEST_POSTGRES_URL); SQLite only")
    os.environ.setdefault("DVFLOW_ENV", "testing")
    logging.getLogger("dvflow").setLevel(logging.WARNING)
    print(f"# dvflow bench, {cfg.mode} mode, {time.strftime('%Y-%m-%d %H:%M %Z')}; {machine_line()}")
    print("# shared machine: other processes (tests) may run meanwhile; ratios are taken within one run, "
          "interleaved where possible, but expect ±10–20% noise on absolute rates")
    results = Results()
    t0 = time.perf_counter()
    import importlib

    for name in only:
        module = importlib.import_module(f"bench.{name}")
        for kind in kinds:
            t = time.perf_counter()
            try:
                module.run(kind, cfg, results)
            except Exception as exc:  # one broken benchmark never hides the others
                import traceback

                traceback.print_exc()
                results.add(f"{name}.{kind}: ERROR {exc.__class__.__name__}: {exc}")
            print(f"  # {name}.{kind} took {time.perf_counter() - t:.1f}s", flush=True)
    print(f"# total {time.perf_counter() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
