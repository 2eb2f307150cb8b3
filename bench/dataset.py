"""Bulk-loaded open cases for the sweep and the scheduler's memory: raw executemany (SQLite) or COPY (PostgreSQL),
never through the services. Each case is a petition in ``received`` with one running ``reply`` clock.

A clock is *due* when its next step ``before_2`` (two working days before its due date, Thu 26/11/2026) is at or
before NOW; ``make_due`` turns a spread-out set of clocks into due ones (and ``reset`` undoes a sweep's writes), so
one load serves several measurements. The other clocks' next step lies 50 days ahead: they are in the sweep's
partial index but not in its range.
"""
from __future__ import annotations

from datetime import date, timedelta

from .common import NOW
from .raw import Raw

DUE_DATE = date(2026, 11, 26)
DUE_STEP_AT = NOW - timedelta(hours=1)
FAR = NOW + timedelta(days=50)
CASE_COLS = ("id", "tracking_code", "tracking_secret_hash", "kind", "workflow_id", "workflow_version", "state", "status",
             "unit_id", "assignee_id", "complex", "especially_complex", "mass", "confidential", "channel",
             "received_at", "subject", "subject_search", "content", "escalation_level", "priority", "facts", "version",
             "created_at")
CLOCK_COLS = ("id", "case_id", "name", "label", "basis", "rule_label", "variant", "unit", "days", "start_date",
              "started_at", "due_date", "due_at", "state", "pauses", "extensions", "next_escalation_at",
              "next_step_key", "version")


# one salted hash for every generated case: hashing a secret per row (~6 ms) would make loading the data the
# benchmark's cost (the sweep reads no secret)
SECRET_HASH = "pbkdf2_sha256$30000$" + "0" * 32 + "$" + "0" * 64


def _rows(r: Raw, version: str, unit_id: int, assignee_id: int, start: int, stop: int):
    received = NOW - timedelta(days=5)
    f = r.bool(False)
    for i in range(start, stop):
        yield (i, f"BENCH-{i:09d}", SECRET_HASH, "petition", "petition", version, "received", "open", unit_id,
               assignee_id, f, f, f, f, "walk_in", r.ts(received), f"Kiến nghị {i}", f"kien nghi {i}", "", 0, f, "{}",
               1, r.ts(received)), \
              (i, i, "reply", "Thời hạn thông báo", "LTCD Điều 28", "10 ngày làm việc", "normal", "working_days", 10,
               r.day(received.date()), r.ts(received), r.day(DUE_DATE + timedelta(days=60)),
               r.ts(NOW + timedelta(days=60)), "running", "[]", "[]", r.ts(FAR), "before_2", 1)


def _copy(cur, table: str, cols, rows) -> None:
    with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def load_open(db, world, start: int, stop: int, chunk: int = 50_000) -> None:
    """Insert cases/clocks with ids [start, stop) (ids explicit, so reloads extend the same tables)."""
    from dvflow.models import WorkflowVersion

    defn = db.workflows.latest("petition")
    with db.sessions() as s:
        if s.get(WorkflowVersion, defn.version) is None:
            db.workflows.ensure_stored(s, defn, NOW)
            s.commit()
    r = Raw(db)
    try:
        cur = r.conn.cursor()
        for lo in range(start, stop, chunk):
            pairs = list(_rows(r, defn.version, world.unit_id, world.handler_id, lo, min(stop, lo + chunk)))
            r.begin(cur)
            if r.kind == "sqlite":
                cur.executemany(f"INSERT INTO cases ({', '.join(CASE_COLS)}) VALUES ({', '.join('?' * len(CASE_COLS))})",
                                [p[0] for p in pairs])
                cur.executemany(f"INSERT INTO clocks ({', '.join(CLOCK_COLS)}) VALUES "
                                f"({', '.join('?' * len(CLOCK_COLS))})", [p[1] for p in pairs])
                cur.execute("COMMIT")
            else:
                _copy(cur, "cases", CASE_COLS, (p[0] for p in pairs))
                _copy(cur, "clocks", CLOCK_COLS, (p[1] for p in pairs))
                r.conn.commit()
        if r.kind == "postgres":
            for seq, table in (("cases_id_seq", "cases"), ("clocks_id_seq", "clocks")):
                cur.execute(f"SELECT setval('{seq}', (SELECT max(id) FROM {table}))")
            cur.execute("ANALYZE cases")
            cur.execute("ANALYZE clocks")
            r.conn.commit()
        else:
            cur.execute("ANALYZE")
    finally:
        r.close()


def reset(db, n_open: int, due: int) -> list[int]:
    """Undo any sweep, then make ``due`` clocks (spread evenly over ids 1..n_open) due now; returns their ids."""
    step = max(1, n_open // due)
    ids = list(range(1, n_open + 1, step))[:due]
    r = Raw(db)
    try:
        cur = r.conn.cursor()
        r.begin(cur)
        cur.execute("DELETE FROM escalation_records")
        cur.execute("DELETE FROM notifications")
        cur.execute("DELETE FROM case_events WHERE action = 'escalate'")
        cur.execute(r.sql("UPDATE clocks SET next_escalation_at = :p, next_step_key = 'before_2', "
                          "due_date = :p, due_at = :p, state = 'running' "
                          "WHERE next_escalation_at IS NOT NULL AND next_escalation_at < :p"),
                    (r.ts(FAR), r.day(DUE_DATE + timedelta(days=60)), r.ts(NOW + timedelta(days=60)), r.ts(FAR)))
        for lo in range(0, len(ids), 5_000):
            part = ids[lo:lo + 5_000]
            cur.execute(r.sql(f"UPDATE clocks SET next_escalation_at = :p, due_date = :p, due_at = :p "
                              f"WHERE id IN ({', '.join(str(i) for i in part)})"),
                        (r.ts(DUE_STEP_AT), r.day(DUE_DATE), r.ts(NOW + timedelta(days=1, hours=15))))
        if r.kind == "sqlite":
            cur.execute("COMMIT")
        else:
            r.conn.commit()
    except Exception:
        if r.kind == "postgres":
            r.conn.rollback()
        raise
    finally:
        r.close()
    vacuum_pg(db)
    return ids


def vacuum_pg(db) -> None:
    if db.kind != "postgres":
        return
    r = Raw(db)
    try:
        r.conn.autocommit = True
        for t in ("clocks", "escalation_records", "case_events", "notifications"):
            r.conn.execute(f"VACUUM ANALYZE {t}")
    finally:
        r.conn.autocommit = False
        r.close()


def raw_sweep(db, batch: int = 200) -> int:
    """The raw batched sweep: due ids from the partial index, then per batch (one transaction): lock the rows,
    insert the escalation records, move each clock's next step, version-guarded. Returns the steps fired."""
    r = Raw(db)
    fired = 0
    try:
        cur = r.conn.cursor()
        cur.execute(r.sql("SELECT id FROM clocks WHERE next_escalation_at IS NOT NULL AND next_escalation_at <= :p "
                          "AND closed_at IS NULL ORDER BY id"), (r.ts(NOW),))
        ids = [row[0] for row in cur.fetchall()]
        if r.kind == "postgres":
            r.conn.commit()
        lock = " FOR UPDATE SKIP LOCKED" if r.kind == "postgres" else ""
        nxt = r.ts(NOW + timedelta(days=1, hours=15))
        for lo in range(0, len(ids), batch):
            part = ids[lo:lo + batch]
            r.begin(cur)
            cur.execute(r.sql(f"SELECT id, version, next_step_key, next_escalation_at FROM clocks WHERE id IN "
                              f"({', '.join(str(i) for i in part)}) AND next_escalation_at <= :p ORDER BY id{lock}"),
                        (r.ts(NOW),))
            rows = cur.fetchall()
            cur.executemany(r.sql("INSERT INTO escalation_records (clock_id, step_key, due_at, fired_at, detail) "
                                  "VALUES (:p, :p, :p, :p, :j)"),
                            [(cid, key, at, r.ts(NOW), '{"template": "clock_due_soon"}') for cid, _v, key, at in rows])
            cur.executemany(r.sql("UPDATE clocks SET next_escalation_at = :p, next_step_key = 'due', "
                                  "version = version + 1 WHERE id = :p AND version = :p"),
                            [(nxt, cid, v) for cid, v, _k, _a in rows])
            if r.kind == "sqlite":
                cur.execute("COMMIT")
            else:
                r.conn.commit()
            fired += len(rows)
    finally:
        r.close()
    return fired
