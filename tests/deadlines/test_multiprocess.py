"""Several scheduler PROCESSES on one PostgreSQL database: each step fires exactly once, and a process killed
between claiming and committing loses nothing and doubles nothing.

These tests commit for real, so they use a database of their own, created and dropped here (not the shared
rolled-back fixtures).
"""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, make_url, select, text
from sqlalchemy.orm import Session, sessionmaker

from dvflow.db import make_engine
from dvflow.models import Case, CaseEvent, EscalationRecord, Notification
from dvflow.scheduler.runner import run_sweep

from .helpers import STEP_AT, World, fixed_ladder, ladder_json

WORKER = Path(__file__).with_name("sweep_worker.py")
ROOT = Path(__file__).resolve().parents[2]
AFTER_A_WEEK = "2026-12-09T03:00:00+00:00"
INBOX_PER_CASE = {"before_2": 1, "due": 2, "after_2": 2, "after_5": 2}  # recipients of each step in LADDER

pytestmark = [pytest.mark.postgres_only, pytest.mark.slow]


@pytest.fixture
def scratch_db(scratch_postgres_url, scratch_engine):
    """A migrated database of its own (tests/conftest.py), dropped at the end: its URL and an engine on it."""
    return make_url(scratch_postgres_url), scratch_engine


def _text(url) -> str:
    return url.render_as_string(hide_password=False)


def seed(engine, cases: int) -> list[int]:
    with Session(engine, expire_on_commit=False) as session:
        world = World(session)
        clocks = [world.case_with_clock()[1].id for _ in range(cases)]
        session.commit()
    return clocks


def spawn(url, at: str, *extra: str, app_name: str = "dvflow_worker") -> subprocess.Popen:
    url = _text(url.update_query_dict({"application_name": app_name}))
    args = [sys.executable, str(WORKER), url, at, "--ladder", json.dumps(ladder_json()), *extra]
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def scalar(engine, stmt):
    with Session(engine) as session:
        return session.scalar(stmt)


def test_several_scheduler_processes_fire_each_step_exactly_once(scratch_db, tmp_path):
    url, engine = scratch_db
    clocks = seed(engine, 60)
    go = tmp_path / "go"
    workers = [spawn(url, AFTER_A_WEEK, "--batch-size", "3", "--batch-delay", "0.03", "--go-file", str(go))
               for _ in range(3)]
    time.sleep(1.0)  # let the interpreters start, then release them together
    go.touch()
    results = [finish(w) for w in workers]

    reported = Counter((cid, step) for r in results for cid, step in r["fired"])
    assert set(reported.values()) == {1} and len(reported) == 60 * 4
    assert all(not r["failed"] for r in results)
    assert sum(1 for r in results if r["fired"]) >= 2, "the workers did not share the work"
    assert scalar(engine, select(func.count()).select_from(EscalationRecord)) == 240
    with Session(engine) as session:
        per_step = Counter((e.case_id, e.payload["step"]) for e in session.scalars(
            select(CaseEvent).where(CaseEvent.action == "escalate")))
        assert len(per_step) == 240 and set(per_step.values()) == {1}
        assert session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.action == "reassign")) == 60
        assert {(c.escalation_level, c.priority) for c in session.scalars(select(Case))} == {(2, True)}
        inbox = session.scalar(select(func.count()).select_from(Notification).where(Notification.channel == "inbox"))
        assert inbox == 60 * sum(INBOX_PER_CASE.values())
    assert sorted({cid for cid, _ in reported}) == sorted(clocks)


def _wait_for(path: Path, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "the worker never claimed its batch"
        time.sleep(0.02)


def _wait_backend_gone(engine, app_name: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    query = text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :n")
    while scalar(engine, query.bindparams(n=app_name)):
        assert time.monotonic() < deadline, "the killed worker's connection is still open"
        time.sleep(0.05)


def test_a_scheduler_killed_before_its_commit_loses_nothing_and_doubles_nothing(scratch_db, tmp_path):
    url, engine = scratch_db
    clocks = seed(engine, 20)
    hold = tmp_path / "held.json"
    victim = spawn(url, STEP_AT["due"].isoformat(), "--batch-size", "5", "--hold-file", str(hold),
                   "--hold-seconds", "300", app_name="dvflow_victim")
    try:
        _wait_for(hold, victim)
        held = json.loads(hold.read_text())
        assert held == clocks[:5]  # claimed, fired and flushed, not committed

        # meanwhile another scheduler runs: it skips the locked rows instead of waiting for them
        other = make_engine(_text(url.update_query_dict({"options": "-c lock_timeout=5000"})))
        sessions = sessionmaker(bind=other, expire_on_commit=False)
        first = run_sweep(sessions, now=STEP_AT["due"], ladder=fixed_ladder(), batch_size=5)
        assert sorted({s.clock_id for s in first.fired}) == clocks[5:] and not first.failed
        assert first.busy == [] and first.raced == []  # the held clocks were skipped when locking the batch
    finally:
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
    assert victim.returncode == -signal.SIGKILL
    _wait_backend_gone(engine, "dvflow_victim")

    fired_held = select(func.count()).select_from(EscalationRecord).where(EscalationRecord.clock_id.in_(held))
    assert scalar(engine, fired_held) == 0  # the killed transaction left nothing behind
    second = run_sweep(sessions, now=STEP_AT["due"], ladder=fixed_ladder(), batch_size=5)
    assert sorted({s.clock_id for s in second.fired}) == held
    assert run_sweep(sessions, now=STEP_AT["due"], ladder=fixed_ladder()).fired == []
    other.dispose()

    with Session(engine) as session:
        keys = Counter(session.execute(select(EscalationRecord.clock_id, EscalationRecord.step_key)).all())
        assert len(keys) == 40 and set(keys.values()) == {1}
        events = session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.action == "escalate"))
        inbox = session.scalar(select(func.count()).select_from(Notification).where(Notification.channel == "inbox"))
        assert (events, inbox) == (40, 20 * (INBOX_PER_CASE["before_2"] + INBOX_PER_CASE["due"]))


def test_two_dispatchers_never_claim_the_same_email(scratch_db):
    from dvflow.notify.dispatcher import claim_pending
    from dvflow.services.deadlines.sweep import sweep

    _url, engine = scratch_db
    seed(engine, 5)
    with Session(engine) as session:
        sweep(session, now=STEP_AT["due"], ladder=fixed_ladder())
        session.commit()
    with Session(engine) as first, Session(engine) as second:
        mine = {n.id for n in claim_pending(first, STEP_AT["due"], limit=4)}
        theirs = {n.id for n in claim_pending(second, STEP_AT["due"], limit=100)}
        assert len(mine) == 4 and theirs and not (mine & theirs)
        total = second.scalar(select(func.count()).select_from(Notification).where(Notification.channel == "email"))
        assert len(mine) + len(theirs) == total
