"""The fast path's locking read (dvflow.services.sweep_lock), its PostgreSQL id lists, its binary array writes, and
the scheduler process's frozen start-up heap."""
from __future__ import annotations

import gc

import pytest
from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.exc import StaleDataError

from dvflow.db.bulk import BulkGuardedUpdate, BulkInsert
from dvflow.db.ids import id_in
from dvflow.models import Case, Clock, EscalationRecord
from dvflow.services.deadlines.calendar import load_calendar
from dvflow.services.deadlines.sweep import (
    _fired_keys,
    due_clock_ids,
    write_clock,
)
from dvflow.services.deadlines.sweep_lock import (
    COLUMNS,
    ClockRow,
    lock_case_rows,
    lock_due_clock_rows,
)
from dvflow.services.deadlines.sweep_plan import Planner

from .helpers import STEP_AT, fixed_ladder

NOW = STEP_AT["due"]


def test_the_lock_read_returns_the_still_due_clocks_as_rows_with_their_values(session, world):
    clocks = [world.case_with_clock()[1] for _ in range(4)]
    ids = due_clock_ids(session, NOW)
    assert ids == sorted(c.id for c in clocks)
    clocks[1].closed_at, clocks[1].closed_on, clocks[1].state = NOW, NOW.date(), "met"  # closed since the snapshot
    session.flush()
    rows = lock_due_clock_rows(session, ids, NOW)
    assert [r.id for r in rows] == [c.id for c in clocks if c is not clocks[1]]
    assert all(isinstance(r, ClockRow) for r in rows)
    for row in rows:
        clock = session.get(Clock, row.id)
        assert tuple(row) == tuple(getattr(clock, name) for name in COLUMNS)


def test_a_clock_the_session_holds_is_refreshed_by_the_lock_read(session, world):
    _case, clock = world.case_with_clock()
    version = clock.version
    session.execute(text("UPDATE clocks SET label = 'changed', version = version + 1 WHERE id = :id"),
                    {"id": clock.id})
    [row] = lock_due_clock_rows(session, [clock.id], NOW)
    assert row.version == version + 1 and row.label == "changed"
    assert (clock.version, clock.label) == (version + 1, "changed")  # as populate_existing refreshed it


@pytest.mark.parametrize("table", ["clocks", "cases"])
@pytest.mark.parametrize("held", [True, False])
def test_the_per_clock_writer_refuses_a_row_changed_since_the_lock_read(session, world, table, held):
    case, clock = world.case_with_clock()
    clock_id, row_id = clock.id, clock.id if table == "clocks" else case.id
    if not held:
        session.expunge_all()
    [row] = lock_due_clock_rows(session, [clock_id], NOW)
    cases = lock_case_rows(session, [row.case_id])
    plan = Planner(session, now=NOW, ladder=fixed_ladder(), calendar=load_calendar(session)).plan(
        row, cases[row.case_id], _fired_keys(session, [clock_id])[clock_id])
    assert plan.state == "missed"  # the plan writes the clock and the case
    session.execute(text(f"UPDATE {table} SET version = version + 1 WHERE id = :id"), {"id": row_id})
    nested = session.begin_nested()
    with pytest.raises(StaleDataError):  # the version planned from is not the row's any more
        write_clock(session, plan)
    nested.rollback()


def test_id_lists_are_one_array_parameter_on_postgresql(session, world):
    pg = str(select(Case.id).where(id_in(Case.id, [1, 2, 3], "postgresql")).compile(dialect=postgresql.dialect()))
    lite = str(select(Case.id).where(id_in(Case.id, [1, 2, 3], "sqlite")).compile(dialect=sqlite.dialect()))
    assert "= ANY (" in pg and " IN " not in pg
    assert " IN " in lite
    cases = [world.case() for _ in range(3)]
    wanted = [cases[0].id, cases[2].id]
    assert sorted(lock_case_rows(session, wanted + [10 ** 9])) == wanted


def test_array_writes_carry_quotes_json_unicode_and_nulls(session, world):
    clocks = [world.case_with_clock()[1] for _ in range(2)]
    detail = {"q": 'a"b\\c', "braces": "{x,y}", "vi": "Đến hạn", "n": None, "list": [1, "2"]}
    records = [dict(clock_id=c.id, step_key=key, due_at=NOW, fired_at=NOW, detail=detail)
               for c, key in zip(clocks, ['k "1"', "k,{2}"])]
    claim = BulkInsert(EscalationRecord.__table__, skip_conflicts_on=("clock_id", "step_key"))
    assert claim.execute(session, records) == 2
    assert claim.execute(session, records) == 0  # ON CONFLICT: nothing new
    rows = [{"b_id": c.id, "b_v": c.version, "next_escalation_at": None, "next_step_key": None,
             "version": c.version + 1} for c in clocks]
    assert BulkGuardedUpdate(Clock.__table__).execute(session, rows) == 2
    session.expire_all()
    stored = session.scalars(select(EscalationRecord).order_by(EscalationRecord.id)).all()
    assert [(r.step_key, r.detail, r.due_at) for r in stored] == [('k "1"', detail, NOW), ("k,{2}", detail, NOW)]
    for c in clocks:
        assert (c.next_escalation_at, c.next_step_key) == (None, None)


def test_the_scheduler_process_freezes_its_start_up_heap_before_the_first_job(mini_app, monkeypatch):
    from dvflow.scheduler import runner

    frozen_at_start = []

    class Scheduler:
        running = False

        def start(self):
            frozen_at_start.append(gc.get_freeze_count())

    monkeypatch.setattr(runner, "build_scheduler", lambda app, kind: Scheduler())
    monkeypatch.setattr(runner.signal, "signal", lambda *args: None)
    gc.unfreeze()
    try:
        runner.run_blocking(mini_app)
    finally:
        gc.unfreeze()
    assert frozen_at_start and frozen_at_start[0] > 0
