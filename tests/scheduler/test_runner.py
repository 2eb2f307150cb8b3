"""The scheduler's wiring: APScheduler job options, one commit per batch, the embedded scheduler."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from apscheduler.schedulers.background import BackgroundScheduler
from deadlines.helpers import STEP_AT, fixed_ladder
from sqlalchemy import func, select

from dvflow.models import EscalationRecord
from dvflow.scheduler.runner import (
    ANCHOR_JOB_ID,
    DISPATCH_JOB_ID,
    REMINDER_JOB_ID,
    SWEEP_JOB_ID,
    build_scheduler,
    run_sweep,
    start_embedded,
)


def fired_count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(EscalationRecord))


def test_jobs_never_drop_a_late_run_and_never_overlap(mini_app):
    mini_app.config["SWEEP_INTERVAL_SECONDS"] = 45
    scheduler = build_scheduler(mini_app, BackgroundScheduler)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {SWEEP_JOB_ID, DISPATCH_JOB_ID, ANCHOR_JOB_ID, REMINDER_JOB_ID}
    for job in jobs.values():
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, None)
    assert jobs[SWEEP_JOB_ID].trigger.interval.total_seconds() == 45
    assert not scheduler.running


def test_run_sweep_commits_once_per_batch(session, world, mini_app):
    for _ in range(5):
        world.case_with_clock()
    session.commit()
    seen = []
    report = run_sweep(mini_app.extensions["dvflow.sessionmaker"], now=STEP_AT["before_2"], ladder=fixed_ladder(),
                       batch_size=2, before_commit=lambda s, r: seen.append(len(r.fired)))
    assert seen == [2, 2, 1] and len(report.fired) == 5
    assert fired_count(session) == 5


def test_a_batch_that_cannot_commit_is_retried_next_round(session, world, mini_app):
    clocks = [world.case_with_clock()[1] for _ in range(4)]
    session.commit()
    sessions = mini_app.extensions["dvflow.sessionmaker"]
    calls = []

    def fail_first_batch(_session, _report):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("mất kết nối")

    report = run_sweep(sessions, now=STEP_AT["before_2"], ladder=fixed_ladder(), batch_size=2,
                       before_commit=fail_first_batch)
    assert set(report.failed) == {clocks[0].id, clocks[1].id} and fired_count(session) == 2
    again = run_sweep(sessions, now=STEP_AT["before_2"], ladder=fixed_ladder(), batch_size=2)
    assert {s.clock_id for s in again.fired} == {clocks[0].id, clocks[1].id}
    assert fired_count(session) == 4


def test_the_embedded_scheduler_sweeps_in_the_background(session, world, mini_app, clock, monkeypatch):
    from dvflow.scheduler import runner

    world.case_with_clock()
    session.commit()
    clock.set(STEP_AT["before_2"])
    # the jobs would share the single test connection from several threads: keep only the sweep
    monkeypatch.setattr(runner, "dispatch_job", lambda app: None)
    monkeypatch.setattr(runner, "reminder_job", lambda app: None)
    started = datetime.now(timezone.utc)
    scheduler = start_embedded(mini_app)
    try:
        assert scheduler.running
        deadline = time.monotonic() + 10
        while scheduler.get_job(SWEEP_JOB_ID).next_run_time <= started + timedelta(seconds=1):
            assert time.monotonic() < deadline, "the embedded sweep was never submitted"
            time.sleep(0.02)
    finally:
        scheduler.shutdown(wait=True)  # waits for the submitted sweep to finish
    assert fired_count(session) == 1
