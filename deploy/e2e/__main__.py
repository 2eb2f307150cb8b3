"""`python -m deploy.e2e` (or deploy/e2e/run.sh): the production layout run end to end under a load test.

PostgreSQL database dvflow_e2e (created afresh, migrated, the demo data, open petitions whose clocks fall due during
the run), Redis, object storage (moto's S3 server when dvflow supports it, local disk otherwise), two gunicorn nodes
behind nginx (HTTPS), two schedulers; then locust, headless and bounded in time, on loopback only; then the
escalation check; the figures go to bench/runs/<date>-e2e.json. Everything is stopped and removed at the end (the
database too, unless --keep).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import create_engine, make_url

from . import checks, figures
from .layout import PY, ROOT, Layout, s3_supported
from .mix import MIX


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m deploy.e2e", description=__doc__.splitlines()[0])
    p.add_argument("--users", type=int, default=100, help="concurrent simulated users")
    p.add_argument("--spawn-rate", type=float, default=4,
                   help="users started per second (each officer logs in: argon2 at its production cost)")
    p.add_argument("--duration", type=int, default=120,
                   help="seconds of steady load after every user has started (the figures' window)")
    p.add_argument("--warmup", type=int, default=30,
                   help="seconds after the last user started before the figures' window opens (the logins end)")
    p.add_argument("--nodes", type=int, default=2)
    p.add_argument("--workers", type=int, default=2, help="gunicorn processes per node")
    p.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    p.add_argument("--schedulers", type=int, default=2)
    p.add_argument("--sweep-interval", type=int, default=10, help="DVFLOW_SWEEP_INTERVAL_SECONDS of the schedulers")
    p.add_argument("--due-clocks", type=int, default=1500, help="seeded clocks that fall due during the run")
    p.add_argument("--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/dvflow_e2e")
    p.add_argument("--local-storage", action="store_true", help="attachments on local disk even when S3 works")
    p.add_argument("--out", default=None, help="the figures' JSON (default bench/runs/<date>-e2e.json)")
    p.add_argument("--keep", action="store_true",
                   help="keep the database and the temp dir (logs; kept anyway when a check fails)")
    return p.parse_args(argv)


def recreate_database(url: str) -> None:
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = make_url(url).database
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()


def drop_database(url: str) -> None:
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
    admin.dispose()


def prepare_database(lay: Layout) -> dict:
    """Migrated, the demo data, and an API token for the reception officer and for the unit's head."""
    recreate_database(lay.db_url)
    lay.flask("db", "upgrade", what="migration")
    lay.flask("demo", "load", what="demo data")
    tokens = {role: lay.flask("tokens", "create", user, "--name", "e2e", what=f"token of {user}").strip()
              for role, user in (("reception", "tiepdan"), ("head", "truongso"))}
    return tokens


def seed(lay: Layout, args, data_path: Path, tokens: dict) -> dict:
    start = datetime.now(timezone.utc) + timedelta(seconds=10)
    lay.run([PY, "-m", "deploy.e2e.seed", str(data_path), "--due", str(args.due_clocks), "--start", start.isoformat(),
             "--duration", str(args.users / args.spawn_rate + args.warmup + args.duration)], what="seed")
    data = json.loads(data_path.read_text(encoding="utf-8"))
    data.update(tokens=tokens, password=demo_password())
    data_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return data


def demo_password() -> str:
    from dvflow.cli.demo_data import DEMO_PASSWORD

    return DEMO_PASSWORD


def cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine since boot (/proc/stat)."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class ConnectionPeak(threading.Thread):
    """The most connections the layout held to its database, sampled every 2 s during the load (max_connections)."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.peak, self.stop = url, 0, threading.Event()

    def run(self) -> None:
        engine = create_engine(make_url(self.url).set(database="postgres"))
        try:
            while not self.stop.wait(2):
                with engine.connect() as conn:
                    n = conn.exec_driver_sql("SELECT count(*) FROM pg_stat_activity WHERE datname = %s",
                                             (make_url(self.url).database,)).scalar_one()
                self.peak = max(self.peak, n)
        finally:
            engine.dispose()


def run_locust(lay: Layout, args, data_path: Path) -> dict:
    """locust headless for ramp + duration seconds; its CSV figures, its failures, and how busy the machine was."""
    prefix = lay.tmp / "locust"
    ramp = args.users / args.spawn_rate
    argv = [PY, "-m", "locust", "-f", str(ROOT / "deploy" / "e2e" / "locustfile.py"), "--headless",
            "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{int(ramp + args.warmup + args.duration)}s",
            "-H", lay.base_url, "--csv", str(prefix), "--only-summary", "--stop-timeout", "10",
            "--exit-code-on-error", "0"]
    peak = ConnectionPeak(lay.db_url)
    peak.start()
    cpu0, t0, procs0 = cpu_times(), datetime.now(timezone.utc), lay.cpu_seconds()
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    counts = lay.tmp / "locust_counts.json"
    proc = lay.start("locust", argv, env={"DVFLOW_E2E_DATA": str(data_path), "DVFLOW_E2E_COUNTS": str(counts),
                                          "DVFLOW_E2E_WARMUP": str(args.warmup)})
    proc.popen.wait(timeout=ramp + args.warmup + args.duration + 120)
    peak.stop.set()
    children1 = resource.getrusage(resource.RUSAGE_CHILDREN)  # locust: the only child reaped in between
    lay.procs.remove(proc)  # done as intended: not one of the layout's processes that must stay up
    cpu = figures.cpu_used(procs0, lay.cpu_seconds())
    cpu["locust"] = round(children1.ru_utime + children1.ru_stime - children0.ru_utime - children0.ru_stime, 1)
    cpu1, t1 = cpu_times(), datetime.now(timezone.utc)
    if proc.popen.returncode != 0:
        raise RuntimeError(f"locust exited {proc.popen.returncode}: {proc.log.read_text(errors='replace')[-3000:]}")
    stats = figures.parse_stats((lay.tmp / "locust_stats.csv").read_text(encoding="utf-8"))
    failures = lay.tmp / "locust_failures.csv"
    stats["failures"] = figures.parse_failures(failures.read_text(encoding="utf-8")) if failures.exists() else []
    busy = (cpu1[0] - cpu0[0]) / max(1, cpu1[1] - cpu0[1])
    stats["whole_run"] = whole = json.loads(counts.read_text(encoding="utf-8"))
    whole["logins"] = figures.spread(whole.pop("login_ms"))
    return {"start": t0, "end": t1, "stats": stats, "machine_cpu_busy": round(busy, 3),
            "db_connections_peak": peak.peak, "load_average_after": os.getloadavg(), "cpu_seconds": cpu}


def check_escalations(lay: Layout, data: dict, start: datetime, end: datetime) -> dict:
    """After the last sweep that could see the end: each step fired once, every step due before the end fired."""
    time.sleep(2 * lay.sweep_interval + 5)
    triggers = [datetime.fromisoformat(t) for t in data["triggers"]]
    seeded = checks.seeded_due_by(data["clock_ids"], triggers, end)
    engine = create_engine(make_url(lay.db_url))
    try:
        with engine.connect() as conn:
            return checks.escalation_check(conn, start=start, end=end, seeded=seeded,
                                           steps_per_clock=data["ladder_steps"])
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    lay = Layout(nodes=args.nodes, workers=args.workers, threads=args.threads, schedulers=args.schedulers,
                 sweep_interval=args.sweep_interval, db_url=args.postgres_url)
    out = Path(args.out) if args.out else ROOT / "bench" / "runs" / f"{datetime.now():%Y-%m-%d}-e2e.json"
    ok = False
    try:
        print(f"e2e: temp dir {lay.tmp}", flush=True)
        lay.start_redis()
        if s3_supported() and not args.local_storage:
            lay.start_s3()  # before the demo data: its documents go to the storage the nodes will read
        tokens = prepare_database(lay)
        lay.start_nodes()
        lay.start_schedulers()
        lay.start_nginx()
        data = seed(lay, args, lay.tmp / "data.json", tokens)
        print(f"e2e: {args.users} users for {args.duration} s against {lay.base_url}", flush=True)
        load = run_locust(lay, args, lay.tmp / "data.json")
        escalation = check_escalations(lay, data, load["start"], load["end"])
        escalation["fired_by_scheduler"] = {p.name: figures.steps_fired_in_log(p.log.read_text(errors="replace"))
                                            for p in lay.procs if p.name.startswith("scheduler")}
        dead = lay.died()
        load["nodes"] = figures.by_node((lay.tmp / "nginx" / "access.log").read_text(errors="replace"))
        result = report(args, lay, load, escalation, dead)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
        print(summary(result), flush=True)
        print(f"e2e: figures in {out}", flush=True)
        ok = result["ok"]
        return 0 if ok else 1
    finally:
        lay.stop_all()
        if not args.keep:
            drop_database(lay.db_url)
        if args.keep or not ok:  # the processes' logs say what went wrong
            print(f"e2e: logs kept in {lay.tmp}", flush=True)
        else:
            lay.cleanup()


def report(args, lay: Layout, load: dict, escalation: dict, dead: list[str]) -> dict:
    total, whole = load["stats"]["total"], load["stats"]["whole_run"]
    return {
        "what": f"end to end: {lay.nodes} nodes, {lay.schedulers} schedulers, {args.users} users (issue #19 item 4)",
        "ok": total["errors"] == 0 and whole["errors"] == 0 and escalation["ok"] and not dead,
        "when": load["start"].isoformat(timespec="seconds"),
        "commit": git_commit(),
        "layout": {"nodes": lay.nodes, "workers_per_node": lay.workers, "threads_per_worker": lay.threads,
                   "schedulers": lay.schedulers, "sweep_interval_s": lay.sweep_interval, "proxy": "nginx (HTTPS)",
                   "database": "PostgreSQL", "rate_limits": "Redis", "storage": lay.storage},
        "load": {"users": args.users, "spawn_rate": args.spawn_rate, "warmup_s": args.warmup,
                 "duration_s": args.duration,
                 "wall_s": round((load["end"] - load["start"]).total_seconds(), 1),
                 "machine_cpu_busy": load["machine_cpu_busy"], "db_connections_peak": load["db_connections_peak"],
                 "load_average_after": load["load_average_after"], "cpu_count": os.cpu_count(),
                 "cpu_seconds_by_process": load["cpu_seconds"],
                 "web_cpu_ms_per_request": web_cpu_ms_per_request(load["cpu_seconds"], whole["requests"])},
        "mix": {name: {"weight": w, "think_s": list(t)} for name, (w, t) in MIX.items()},
        "total": total,
        "whole_run": whole,
        "by_name": load["stats"]["by_name"],
        "failures": load["stats"]["failures"],
        "nodes": load["nodes"],
        "escalations": escalation,
        "processes_died": dead,
    }


def web_cpu_ms_per_request(cpu: dict[str, float], requests: int) -> float | None:
    """CPU the web nodes spent per request: a cost that does not depend on how busy the shared machine was."""
    web = sum(v for k, v in cpu.items() if k.startswith("web"))
    return round(1000 * web / requests, 1) if requests else None


def git_commit() -> str | None:
    import subprocess

    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() or None


def summary(result: dict) -> str:
    t, e, w = result["total"], result["escalations"], result["whole_run"]
    return (f"e2e: {t['requests']} requests, {t['rps']:.1f}/s, p50 {t['p50_ms']:.0f} ms, p99 {t['p99_ms']:.0f} ms, "
            f"{t['errors']} errors (whole run with the start: {w['requests']} requests, {w['errors']} errors); "
            f"escalation steps fired {e['seeded_steps_fired']}/{e['seeded_steps_expected']} (seeded), "
            f"{e['duplicate_count']} twice, {e['clocks_left_due_count']} clocks left due; "
            f"{'OK' if result['ok'] else 'NOT OK'}")


if __name__ == "__main__":
    sys.exit(main())
