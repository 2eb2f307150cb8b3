"""The load test's data beyond the demo: open petitions whose clocks fall due while the load runs, some of them with
a tracking secret the simulated citizens know.

Run by the orchestrator as ``python -m deploy.e2e.seed OUT.json --due N --track M --start ISO --duration S`` with the
layout's environment (DVFLOW_*), after ``dvflow db upgrade`` and ``dvflow demo load``. Rows go in by COPY (like
bench/dataset.py), never through the services: the point is to give the schedulers work, not to time an intake.

Each "due" clock has its due date 15 days back, so its whole ladder (before_2, due, after_3) is already due, and its
``next_escalation_at`` (what the sweep's index looks at) spread evenly over the run: the schedulers find a steady
trickle of due clocks, as they would in production, and must fire every step of each exactly once.
"""
from __future__ import annotations

import argparse
import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, text

CASE_COLS = ("id", "tracking_code", "tracking_secret_hash", "kind", "workflow_id", "workflow_version", "state",
             "status", "unit_id", "assignee_id", "complex", "especially_complex", "mass", "confidential", "channel",
             "received_at", "subject", "subject_search", "content", "escalation_level", "priority", "facts",
             "version", "created_at")
CLOCK_COLS = ("id", "case_id", "name", "label", "basis", "rule_label", "variant", "unit", "days", "start_date",
              "started_at", "due_date", "due_at", "state", "pauses", "extensions", "next_escalation_at",
              "next_step_key", "version")
#: the unit and the handler of the seeded petitions (demo data: dvflow/cli/demo_data.py)
UNIT_CODE, HANDLER = "STNMT", "chuyenvien"
#: a stored hash that matches no secret: the cases citizens do not look up (hashing one per row would cost ~10 ms)
NO_SECRET = "pbkdf2_sha256$30000$" + "0" * 32 + "$" + "0" * 64


def trigger_times(start: datetime, duration_s: float, n: int) -> list[datetime]:
    """``n`` instants spread evenly over [start, start + duration): when each clock becomes due for the sweep."""
    if n <= 0:
        return []
    step = duration_s / n
    return [start + timedelta(seconds=i * step) for i in range(n)]


def _case_row(i: int, version: str, unit_id: int, assignee_id: int, received: datetime, secret_hash: str):
    return (i, f"KN-E2E-{i:07d}", secret_hash, "petition", "petition", version, "received", "open", unit_id,
            assignee_id, False, False, False, False, "walk_in", received, f"Kiến nghị sửa đường thôn {i}",
            f"kien nghi sua duong thon {i}", "", 0, False, "{}", 1, received)


def _clock_row(i: int, received: datetime, due: datetime, trigger: datetime):
    return (i, i, "reply", "Thời hạn thông báo", "LTCD Điều 28", "10 ngày làm việc", "normal", "working_days", 10,
            received.date(), received, due.date(), due, "running", "[]", "[]", trigger, "before_2", 1)


def _copy(cur, table: str, cols, rows) -> None:
    with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def seed(app, *, due: int, track: int, start: datetime, duration_s: float) -> dict:
    """Insert the petitions and clocks; returns what the locustfile and the checks need."""
    from dvflow.models import Unit, User
    from dvflow.services.cases.tracking import hash_secret, new_tracking_secret

    sessions, workflows = app.extensions["dvflow.sessionmaker"], app.extensions["dvflow.workflows"]
    defn = workflows.latest("petition")
    with sessions() as s:
        workflows.ensure_stored(s, defn, start)
        unit_id = s.scalar(select(Unit.id).where(Unit.code == UNIT_CODE))
        handler_id = s.scalar(select(User.id).where(User.username == HANDLER))
        base_case = (s.scalar(text("SELECT coalesce(max(id), 0) FROM cases")) or 0) + 1000
        base_clock = (s.scalar(text("SELECT coalesce(max(id), 0) FROM clocks")) or 0) + 1000
        s.commit()
    received, due_at = start - timedelta(days=40), start - timedelta(days=15)
    ids = list(range(base_case, base_case + due))
    known = {i: new_tracking_secret() for i in ids[:track]}
    cases = [_case_row(i, defn.version, unit_id, handler_id, received,
                       hash_secret(known[i]) if i in known else NO_SECRET) for i in ids]
    # clock ids follow the case ids' offset so each row stays one line of code
    clocks = [(base_clock + (i - base_case),) + _clock_row(i, received, due_at, at)[1:]
              for i, at in zip(ids, trigger_times(start, duration_s, due))]
    raw = sessions().connection().engine.raw_connection()
    try:
        cur = raw.driver_connection.cursor()
        _copy(cur, "cases", CASE_COLS, cases)
        _copy(cur, "clocks", CLOCK_COLS, clocks)
        for seq, table in (("cases_id_seq", "cases"), ("clocks_id_seq", "clocks")):
            cur.execute(f"SELECT setval('{seq}', (SELECT max(id) FROM {table}))")
        raw.driver_connection.commit()
        cur.execute("ANALYZE cases")
        cur.execute("ANALYZE clocks")
        raw.driver_connection.commit()
    finally:
        raw.close()
    return {"case_ids": ids, "clock_ids": [c[0] for c in clocks],
            "tracking": [{"code": f"KN-E2E-{i:07d}", "secret": s} for i, s in known.items()],
            "triggers": [c[16].isoformat() for c in clocks],
            "ladder_steps": len(_ladder(defn))}


def _ladder(defn) -> list:
    return list(defn.clocks["reply"].ladder)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--due", type=int, default=1500)
    parser.add_argument("--track", type=int, default=200)
    parser.add_argument("--start", required=True, help="ISO instant (UTC) of the first trigger")
    parser.add_argument("--duration", type=float, required=True, help="seconds over which the triggers spread")
    args = parser.parse_args(argv)
    from dvflow import create_app

    start = datetime.fromisoformat(args.start).astimezone(timezone.utc)
    data = seed(create_app(), due=args.due, track=args.track, start=start, duration_s=args.duration)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
