""""Each escalation step fired once", checked in SQL after the run (issue #19 item 4).

Three questions, each one query, on PostgreSQL (the layout) and SQLite (the tests) alike:
* no (clock, step) was recorded twice (the unique key forbids it; the check proves the schedulers never needed it
  to be the last line of defence, e.g. a record written twice under two ids);
* no open clock is left whose next step was due before the end (the sweep's own index condition): every due step
  of every clock fired, the seeded ones and the demo's alike;
* each seeded clock whose trigger came before the end has exactly its ladder's steps recorded.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Sequence

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

DUPLICATES = text("SELECT clock_id, step_key, count(*) AS n FROM escalation_records "
                  "GROUP BY clock_id, step_key HAVING count(*) > 1 ORDER BY clock_id, step_key")
LEFT_DUE = text("SELECT id FROM clocks WHERE closed_at IS NULL AND next_escalation_at IS NOT NULL "
                "AND next_escalation_at <= :end ORDER BY id")
FIRED_PER_CLOCK = text("SELECT clock_id, count(*) AS n FROM escalation_records WHERE clock_id IN :ids "
                       "GROUP BY clock_id").bindparams(bindparam("ids", expanding=True))
FIRED_IN_WINDOW = text("SELECT count(*) FROM escalation_records WHERE fired_at >= :start AND fired_at <= :end")
CHUNK = 5_000  # ids per IN list: SQLite's bound-parameter limit is far above, PostgreSQL's plan stays short


def escalation_check(conn: Connection, *, start: datetime, end: datetime, seeded: Sequence[int],
                     steps_per_clock: int) -> dict:
    """The figures of the check; ``ok`` is True only when all three questions answer as they must."""
    start, end = _at(conn, start), _at(conn, end)
    duplicates = [dict(clock_id=r.clock_id, step=r.step_key, times=r.n) for r in conn.execute(DUPLICATES)]
    left_due = [r.id for r in conn.execute(LEFT_DUE, {"end": end})]
    fired: dict[int, int] = {}
    for lo in range(0, len(seeded), CHUNK):
        fired.update({r.clock_id: r.n for r in conn.execute(FIRED_PER_CLOCK, {"ids": list(seeded[lo:lo + CHUNK])})})
    wrong = {cid: fired.get(cid, 0) for cid in seeded if fired.get(cid, 0) != steps_per_clock}
    in_window = conn.execute(FIRED_IN_WINDOW, {"start": start, "end": end}).scalar_one()
    return {
        "ok": not duplicates and not left_due and not wrong,
        "steps_fired_during_run": in_window,
        "seeded_clocks_due": len(seeded),
        "seeded_steps_expected": len(seeded) * steps_per_clock,
        "seeded_steps_fired": sum(fired.values()),
        "duplicate_steps": duplicates[:20],
        "duplicate_count": len(duplicates),
        "clocks_left_due": left_due[:20],
        "clocks_left_due_count": len(left_due),
        "seeded_clocks_wrong": dict(list(wrong.items())[:20]),
        "seeded_clocks_wrong_count": len(wrong),
    }


def _at(conn: Connection, value: datetime):
    """An instant as the column holds it: SQLite keeps naive UTC text (SQLAlchemy's DateTime), PostgreSQL an aware
    timestamp."""
    if conn.dialect.name != "sqlite":
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def seeded_due_by(clock_ids: Sequence[int], triggers: Sequence[datetime], end: datetime) -> list[int]:
    """The seeded clocks whose trigger came at or before ``end`` (the rest were not due yet when the load stopped)."""
    return [cid for cid, at in zip(clock_ids, triggers) if at <= end]
