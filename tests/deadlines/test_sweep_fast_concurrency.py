"""The fast path with several schedulers on one PostgreSQL database: each step fires at most once, also when a
claim meets another scheduler's uncommitted one. Committed databases of their own (see test_multiprocess)."""
from __future__ import annotations

import json
import threading
import time
from collections import Counter

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dvflow.models import Case, CaseEvent, Clock, EscalationRecord, Notification
from dvflow.services.deadlines import sweep_lock
from dvflow.services.deadlines.calendar import load_calendar
from dvflow.services.deadlines.sweep import sweep_batch

from .helpers import LADDER, STEP_AT, fixed_ladder, ladder_json
from .test_multiprocess import (  # noqa: F401
    AFTER_A_WEEK,
    finish,
    scalar,
    scratch_db,
    seed,
    spawn,
)

FAST_LADDER = LADDER[:3]  # no reassignment: every step of every clock takes the fast path

pytestmark = [pytest.mark.postgres_only, pytest.mark.slow]


def test_several_scheduler_processes_on_the_fast_path_fire_each_step_exactly_once(scratch_db, tmp_path):
    url, engine = scratch_db
    clocks = seed(engine, 60)
    go = tmp_path / "go"
    workers = [spawn(url, AFTER_A_WEEK, "--ladder", json.dumps(ladder_json(FAST_LADDER)), "--batch-size", "7",
                     "--batch-delay", "0.03", "--go-file", str(go)) for _ in range(3)]
    time.sleep(1.0)
    go.touch()
    results = [finish(w) for w in workers]

    reported = Counter((cid, step) for r in results for cid, step in r["fired"])
    assert set(reported.values()) == {1} and len(reported) == 60 * 3
    assert all(not r["failed"] for r in results)
    assert sorted({cid for cid, _ in reported}) == sorted(clocks)
    with Session(engine) as session:
        keys = Counter(session.execute(select(EscalationRecord.clock_id, EscalationRecord.step_key)).all())
        assert len(keys) == 180 and set(keys.values()) == {1}
        per_step = Counter((e.case_id, e.payload["step"]) for e in session.scalars(
            select(CaseEvent).where(CaseEvent.action == "escalate")))
        assert len(per_step) == 180 and set(per_step.values()) == {1}
        assert {(c.escalation_level, c.priority, c.version) for c in session.scalars(select(Case))} == {(1, True, 2)}
        inbox = session.scalar(select(func.count()).select_from(Notification).where(Notification.channel == "inbox"))
        assert inbox == 60 * (1 + 2 + 2)


def test_a_claim_meeting_an_uncommitted_one_waits_then_goes_to_raced(scratch_db, monkeypatch):
    """Were a second scheduler to reach the claims without the row locks, ON CONFLICT waits for the first one's
    transaction, finds the steps taken, and the per-clock path reports the clocks raced, writing nothing."""
    _url, engine = scratch_db
    ids = seed(engine, 5)
    now, ladder = STEP_AT["due"], fixed_ladder(FAST_LADDER)
    with Session(engine) as first:
        calendar = load_calendar(first)
        mine = sweep_batch(first, ids, now=now, ladder=ladder, calendar=calendar)
        assert len(mine.fired) == 10 and mine.raced == []

        # the second scheduler reads the same rows without locking them
        columns = [Clock.__table__.c[name] for name in sweep_lock.COLUMNS]
        case_columns = [Case.__table__.c[name] for name in sweep_lock.CASE_COLUMNS]
        monkeypatch.setattr(sweep_lock, "lock_due_clock_rows", lambda s, keys, at: [
            sweep_lock.ClockRow(*r)
            for r in s.execute(select(*columns).where(Clock.id.in_(keys), *sweep_lock.due(at)).order_by(Clock.id))])
        monkeypatch.setattr(sweep_lock, "lock_case_rows", lambda s, keys: {
            r.id: sweep_lock.CaseValues(*r)
            for r in s.execute(select(*case_columns).where(Case.id.in_(sorted(set(keys)))))})
        outcome = {}

        def second_scheduler():
            try:
                with Session(engine) as second:
                    outcome["report"] = sweep_batch(second, ids, now=now, ladder=ladder, calendar=calendar)
                    second.commit()
            except Exception as exc:  # reported to the test below
                outcome["error"] = exc

        thread = threading.Thread(target=second_scheduler)
        thread.start()
        thread.join(1.0)
        assert thread.is_alive(), "the second claim should wait for the first transaction"
        first.commit()
    thread.join(30)
    assert not thread.is_alive() and "error" not in outcome, outcome.get("error")
    theirs = outcome["report"]
    assert theirs.fired == [] and theirs.raced == ids and theirs.clocks == 0
    with Session(engine) as session:
        assert scalar(engine, select(func.count()).select_from(EscalationRecord)) == 10
        assert session.scalar(select(func.count()).select_from(CaseEvent)
                              .where(CaseEvent.action == "escalate")) == 10
        assert session.scalar(select(func.count()).select_from(Notification)
                              .where(Notification.channel == "inbox")) == 5 * (1 + 2)
