"""The sweep's set-based fast path: a run of clocks written with a few statements instead of ~10 per step.

``sweep_locked`` walks a batch's locked clocks in id order: plain rows (``sweep_lock``), with their cases as
``CaseRow`` stand-ins or ``Case`` objects (either works). Each clock is first planned in Python, leaving the case
untouched: its due steps (``plan_steps``), their notifications
(``outbox.notification_rows``), what their actions do to the clock and the case, the rows of its records and events,
and its next step (``schedule_next_step`` on a stand-in, with the fired keys known). A plan depends only on the
ladder, the due date, the state and the fired keys, so each distinct one is computed once per batch. Consecutive
planned clocks form a run, written in one SAVEPOINT, each item one statement (``bulk``: an executemany on SQLite;
on PostgreSQL a COPY, or one statement over arrays):

1. the escalation records, ``INSERT … ON CONFLICT (clock_id, step_key) DO NOTHING``: a row count short means
   another scheduler took a claim first;
2. the case events, then the notifications;
3. the clocks, then the cases: a version-guarded UPDATE each; the summed row count must match.

A claim refused, a row count short or any error rolls the savepoint back, and the run goes through the per-clock
path (``sweep._sweep_one``), which sorts its clocks into fired, stale, raced or failed as it always has. Once a run
is written, its cases take the written values (as committed state for a ``Case``; a clock's ORM object only if the
session holds one), so the session never writes them again and their versions stay those of the rows
(``version_id_col``). Versions move as the per-clock path moves them: +1 per flush that changes the row. A clock or a
case gets an ORM object only to go through the per-clock path (``sweep_lock.load_clock``, ``load_case``); the case
keeps it for the rest of the batch.

A clock the fast path does not model (an action other than ``SIMPLE_ACTIONS``, such as ``reassign_parent``, or a
planning error) ends the run and goes through the per-clock path on its own; a busy clock (case locked elsewhere)
is only reported. Rows are therefore written in the per-clock path's order.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Sequence

from sqlalchemy.orm import Session

from ...db.bulk import BulkGuardedUpdate, BulkInsert
from ...engine.calendar import WorkCalendar
from ...engine.types import LadderStep
from ...models import Case, Clock, EscalationRecord, Notification
from ...notify import outbox
from ..cases import history
from . import sweep as reference
from .clocks import LadderLookup, schedule_next_step
from .sweep import SIMPLE_ACTIONS, PlannedStep, SweepReport, _params, _planned, plan_steps, simple_action, step_template
from .sweep_lock import CaseRow, ClockRow, case_written, load_case, load_clock, written

log = logging.getLogger("dvflow.sweep")

_CLAIM = BulkInsert(EscalationRecord.__table__, skip_conflicts_on=("clock_id", "step_key"))
_INSERT_NOTIFICATIONS = BulkInsert(Notification.__table__)  # rows of outbox.notification_rows
_UPDATE_CLOCKS = BulkGuardedUpdate(Clock.__table__)
_UPDATE_CASES = BulkGuardedUpdate(Case.__table__)


class _Unwritable(Exception):
    """The run cannot be written as planned (claim refused, version moved): roll it back, go per clock."""


@dataclass
class _ClockStandIn:
    """What ``schedule_next_step`` reads and writes, so it can plan without touching the ORM object."""

    id: int
    closed_at: datetime | None
    state: str
    due_date: date | None
    next_escalation_at: datetime | None = None
    next_step_key: str | None = None


@dataclass
class _Schedule:
    """The plan of the clocks sharing a ladder, due date, state and fired keys."""

    steps: Sequence[LadderStep]
    due: list[tuple[datetime, LadderStep]]
    fast: bool  # every action of the due steps is in SIMPLE_ACTIONS
    next_at: datetime | None
    next_key: str | None


@dataclass
class _CaseState:
    """A case as the run leaves it: its values and version to write (``case.version`` is the version read)."""

    case: Case | CaseRow
    level: int
    priority: bool
    version: int

    def values(self) -> dict:
        return {"escalation_level": self.level, "priority": self.priority, "version": self.version}


@dataclass
class _ClockPlan:
    clock: ClockRow
    case: Case | CaseRow
    fired: list[PlannedStep]
    values: dict | None  # the clock's new column values, None when the row does not change


@dataclass
class _Run:
    """Consecutive planned clocks and the rows they write."""

    plans: list[_ClockPlan] = field(default_factory=list)
    cases: dict[int, _CaseState] = field(default_factory=dict)
    records: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    notifications: list[dict] = field(default_factory=list)


@dataclass
class _Batch:
    session: Session
    cases: dict[int, Case | CaseRow]
    fired: dict[int, set[str]]
    now: datetime
    ladder: LadderLookup
    calendar: WorkCalendar
    report: SweepReport
    schedules: dict[tuple, _Schedule] = field(default_factory=dict)
    payloads: dict[tuple, dict] = field(default_factory=dict)

    def payload(self, clock_name: str, step: LadderStep, at: datetime) -> dict:
        """An escalation event's payload: one object per clock name, step and due instant in the batch, so that the
        bulk write serialises each once."""
        key = (clock_name, step.key, at, tuple(step.actions))
        found = self.payloads.get(key)
        if found is None:
            found = self.payloads[key] = {"clock": clock_name, "step": step.key, "due_at": at.isoformat(),
                                          "actions": list(step.actions)}
        return found

    def per_clock(self, row: ClockRow, case: Case | CaseRow | None) -> None:
        clock = load_clock(self.session, row) if case is not None else row  # busy: only its id is read
        if case is not None:  # a Case from now on: the per-clock path may change it
            case = self.cases[row.case_id] = load_case(self.session, self.cases.get(row.case_id, case))
        reference._sweep_one(self.session, clock, case, self.fired[row.id], now=self.now, ladder=self.ladder,
                             calendar=self.calendar, report=self.report)


def sweep_locked(session: Session, clocks: Sequence[ClockRow], cases: dict[int, Case | CaseRow],
                 fired: dict[int, set[str]], *, now: datetime, ladder: LadderLookup, calendar: WorkCalendar,
                 report: SweepReport) -> None:
    """Fire the due steps of a batch's locked clocks (see the module's docstring); fills ``report``."""
    batch = _Batch(session, dict(cases), fired, now, ladder, calendar, report)
    run = _Run()
    for clock in clocks:
        case = batch.cases.get(clock.case_id)
        if case is None:  # busy: only reported, nothing written
            batch.per_clock(clock, None)
        elif not _plan(batch, run, clock, case):
            _write_run(batch, run)
            run = _Run()
            batch.per_clock(clock, case)
    _write_run(batch, run)


# --- planning -------------------------------------------------------------------------------------------------------


def _schedule(batch: _Batch, clock: ClockRow, steps: Sequence[LadderStep]) -> _Schedule:
    fired = batch.fired[clock.id]
    key = (id(steps), clock.due_date, clock.state, clock.closed_at is None, frozenset(fired))
    found = batch.schedules.get(key)
    if found is None:
        due = plan_steps(clock, steps, batch.calendar, fired, batch.now)
        fast = all(action in SIMPLE_ACTIONS for _at, step in due for action in step.actions)
        state = "missed" if clock.state == "running" and any("mark_missed" in s.actions for _at, s in due) \
            else clock.state
        after = _ClockStandIn(clock.id, clock.closed_at, state, clock.due_date)
        schedule_next_step(batch.session, after, steps, batch.calendar, fired=fired | {s.key for _at, s in due})
        found = batch.schedules[key] = _Schedule(steps, due, fast, after.next_escalation_at, after.next_step_key)
    return found


def _plan(batch: _Batch, run: _Run, clock: ClockRow, case: Case | CaseRow) -> bool:
    """Add the clock's rows to the run; False (the run unchanged) when the per-clock path must handle it."""
    session, now = batch.session, batch.now
    try:
        schedule = _schedule(batch, clock, batch.ladder(case, clock.name))
        if not schedule.fast:
            return False
        shared = run.cases.get(case.id) or _CaseState(case, case.escalation_level, case.priority, case.version)
        state, level, priority = clock.state, shared.level, shared.priority
        records, events, notifications = [], [], []
        for at, step in schedule.due:
            template = step_template(step)
            queued = outbox.notification_rows(session, case, step.notify, template, _params(case, clock, step), now) \
                if step.notify else []
            applied = []
            for action in step.actions:
                state, level, priority, done = simple_action(action, state, level, priority)
                applied.append(done)
            notifications += queued
            records.append(dict(clock_id=clock.id, step_key=step.key, due_at=at, fired_at=now, detail={
                "template": template, "notified": sorted({n["user_id"] for n in queued}), "actions": applied}))
            events.append(history.event(case.id, "escalate", at=now, from_state=case.state, to_state=case.state,
                                        payload=batch.payload(clock.name, step, at)))
    except Exception:  # the per-clock path meets the same error and reports it
        return False
    # the per-clock path flushes after the steps (state), then after scheduling (next step): +1 per flush that writes
    bumps = (state != clock.state) + ((schedule.next_at, schedule.next_key)
                                      != (clock.next_escalation_at, clock.next_step_key))
    values = dict(state=state, next_escalation_at=schedule.next_at, next_step_key=schedule.next_key,
                  version=clock.version + bumps) if bumps else None
    if (level, priority) != (shared.level, shared.priority):
        shared.level, shared.priority, shared.version = level, priority, shared.version + 1
    run.cases[case.id] = shared
    run.plans.append(_ClockPlan(clock, case, [_planned(case, clock, step, at) for at, step in schedule.due], values))
    run.records += records
    run.events += events
    run.notifications += notifications
    return True


# --- writing --------------------------------------------------------------------------------------------------------


def _write_run(batch: _Batch, run: _Run) -> None:
    """Write the run in one savepoint; on any failure, roll it back and sweep its clocks one by one."""
    if not run.plans:
        return
    session, report = batch.session, batch.report
    clock_rows = [{"b_id": p.clock.id, "b_v": p.clock.version, **p.values} for p in run.plans if p.values]
    changed = [s for s in run.cases.values() if s.version != s.case.version]
    case_rows = [{"b_id": s.case.id, "b_v": s.case.version, **s.values()} for s in changed]
    try:
        with session.begin_nested():
            _insert_and_update(session, run, clock_rows, case_rows)
    except Exception as exc:  # nothing of the run is left: the per-clock path decides clock by clock
        log.info("fast sweep of clocks %s..%s rolled back (%s: %s): sweeping them one by one",
                 run.plans[0].clock.id, run.plans[-1].clock.id, type(exc).__name__, exc)
        for plan in run.plans:
            batch.per_clock(plan.clock, plan.case)
        return
    for plan in run.plans:  # the rows are written: the ORM objects take their values as committed state
        if plan.values:
            written(session, plan.clock.id, plan.values)
        report.clocks += 1
        report.fired += plan.fired
    for s in changed:
        case_written(session, s.case, s.values())


def _insert_and_update(session: Session, run: _Run, clock_rows: list[dict], case_rows: list[dict]) -> None:
    claimed = _CLAIM.execute(session, run.records)
    if claimed != len(run.records):
        raise _Unwritable(f"{len(run.records) - claimed} step(s) already fired by another scheduler")
    history.write(session, run.events)
    _INSERT_NOTIFICATIONS.execute(session, run.notifications)
    for what, statement, rows in (("clocks", _UPDATE_CLOCKS, clock_rows), ("cases", _UPDATE_CASES, case_rows)):
        updated = statement.execute(session, rows)
        if updated != len(rows):
            raise _Unwritable(f"{len(rows) - updated} of {len(rows)} {what} changed meanwhile (version guard)")
