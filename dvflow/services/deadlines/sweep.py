"""The deadline sweep: fire every escalation step that has come due, exactly once.

How one sweep works (the caller owns the transaction; nothing here commits):

1. ``due_clock_ids``: one range scan of the partial index ``ix_clocks_next_escalation_open`` snapshots the ids of
   the open clocks whose next step is due (``next_escalation_at <= now``), sorted by primary key. Its cost follows
   the number of due steps, not the number of open cases.
2. The ids are cut into batches (keyset paging over the sorted snapshot: each batch starts after the last id of
   the previous one). ``sweep_batch`` re-reads the batch's rows under ``SELECT … FOR UPDATE SKIP LOCKED`` on
   PostgreSQL, re-checking that they are still due: a row another scheduler holds or has just fired is skipped.
   The batch's cases are locked the same way: a case an officer's transaction holds is left for the next round.
   The sweep therefore never waits for a row lock, so it can neither deadlock with officers nor with other sweeps.
3. Each clock is planned (``sweep_plan``): every unfired step due by ``now`` in order (catch-up after downtime),
   their notifications, actions, records and history, then the next step. A plan is applied by one of two writers:
   the set-based fast path (``sweep_fast``, the default) writes a run of plans with a few statements in one
   SAVEPOINT; the per-clock path (``write_clock``, the reference and the fast path's fallback) writes one plan with
   ORM objects in its own SAVEPOINT. The version guard (``version_id_col``) protects the clock and case updates: a
   stale version raises ``StaleDataError`` and the clock is skipped, never overwritten. ``EscalationRecord``'s unique
   (clock, step) key is the last guard against a double fire. Any other error is logged and only that clock's
   savepoint is rolled back.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterator, Sequence

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ...db.ids import id_in
from ...engine.calendar import WorkCalendar
from ...engine.types import require_aware
from ...models import Case, Clock, EscalationRecord, Notification, Unit, User
from ..cases import history
from . import sweep_lock
from .calendar import load_calendar
from .clocks import LadderLookup
from .sweep_lock import CaseValues, ClockRow, due
from .sweep_plan import ClockPlan, PlannedStep, Planner, planned

__all__ = ["AlreadyFired", "PlannedStep", "SweepReport", "batches", "due_clock_ids", "preview", "sweep",
           "sweep_batch", "write_clock"]

log = logging.getLogger("dvflow.sweep")

DEFAULT_BATCH_SIZE = 200


class AlreadyFired(Exception):
    """Another sweep recorded this step first (the unique key of EscalationRecord refused ours)."""


@dataclass
class SweepReport:
    """What a sweep did: fired steps, and the clocks it left for the next round and why."""

    fired: list[PlannedStep] = field(default_factory=list)
    clocks: int = 0  # clocks handled without error (whether or not a step fired)
    stale: list[int] = field(default_factory=list)  # changed by someone else meanwhile (version guard)
    busy: list[int] = field(default_factory=list)  # case row locked by another transaction
    raced: list[int] = field(default_factory=list)  # another scheduler fired the step first
    failed: dict[int, str] = field(default_factory=dict)  # clock id -> error

    def merge(self, other: "SweepReport") -> "SweepReport":
        self.fired += other.fired
        self.clocks += other.clocks
        self.stale += other.stale
        self.busy += other.busy
        self.raced += other.raced
        self.failed.update(other.failed)
        return self

    @property
    def skipped(self) -> int:
        return len(self.stale) + len(self.busy) + len(self.raced)

    def summary(self) -> str:
        """Vietnamese one-line summary."""
        text = f"Đã kích hoạt {len(self.fired)} bước nhắc việc/cảnh báo trên {self.clocks} thời hạn"
        if self.skipped:
            text += f"; để lại lượt sau {self.skipped} thời hạn đang được người khác xử lý"
        if self.failed:
            text += f"; {len(self.failed)} thời hạn bị lỗi (xem nhật ký)"
        return text + "."

    def done(self, plan: ClockPlan) -> None:
        self.clocks += 1
        self.fired += plan.fired


# --- selecting the work -------------------------------------------------------------------------------------------


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def due_clock_ids(session: Session, now: datetime) -> list[int]:
    """Ids of the open clocks whose next step is due, sorted (one range scan of the partial index)."""
    ids = session.scalars(select(Clock.id).where(*due(require_aware(now)))).all()
    return sorted(ids)


def batches(ids: Sequence[int], size: int = DEFAULT_BATCH_SIZE) -> Iterator[list[int]]:
    """Consecutive slices of the sorted ids: each batch starts after the last id of the previous one."""
    for start in range(0, len(ids), size):
        yield list(ids[start:start + size])


def _fired_keys(session: Session, clock_ids: Sequence[int]) -> dict[int, set[str]]:
    fired: dict[int, set[str]] = {i: set() for i in clock_ids}
    rows = session.execute(select(EscalationRecord.clock_id, EscalationRecord.step_key)
                           .where(id_in(EscalationRecord.clock_id, clock_ids, _dialect(session))))
    for clock_id, key in rows:
        fired[clock_id].add(key)
    return fired


# --- dry run --------------------------------------------------------------------------------------------------------


def preview(session: Session, *, now: datetime, ladder: LadderLookup, calendar: WorkCalendar | None = None,
            batch_size: int = DEFAULT_BATCH_SIZE) -> list[PlannedStep]:
    """What a sweep at ``now`` would fire, in order; reads only, locks nothing, writes nothing."""
    now = require_aware(now)
    planner = Planner(session, now=now, ladder=ladder, calendar=calendar or load_calendar(session))
    planned_steps: list[PlannedStep] = []
    for ids in batches(due_clock_ids(session, now), batch_size):
        fired = _fired_keys(session, ids)
        for clock in session.scalars(select(Clock).where(Clock.id.in_(ids)).order_by(Clock.id)):
            case = session.get(Case, clock.case_id)
            try:
                steps = planner.due(clock, case.workflow_version, fired[clock.id])
            except Exception:  # the real sweep would log and skip this clock too
                log.exception("dry run: cannot plan clock %s", clock.id)
                continue
            planned_steps += [planned(case, clock, step, at) for at, step in steps]
    return planned_steps


# --- the real sweep -------------------------------------------------------------------------------------------------


def sweep(session: Session, *, now: datetime, ladder: LadderLookup, calendar: WorkCalendar | None = None,
          batch_size: int = DEFAULT_BATCH_SIZE, fast: bool = True) -> SweepReport:
    """Every due step in the caller's transaction (one commit by the caller). The scheduler commits per batch."""
    now = require_aware(now)
    calendar = calendar or load_calendar(session)
    report = SweepReport()
    for ids in batches(due_clock_ids(session, now), batch_size):
        report.merge(sweep_batch(session, ids, now=now, ladder=ladder, calendar=calendar, fast=fast))
    return report


def sweep_batch(session: Session, ids: Sequence[int], *, now: datetime, ladder: LadderLookup,
                calendar: WorkCalendar, fast: bool = True) -> SweepReport:
    """Lock the batch's still-due clocks and their cases, plan each clock, and write the plans: through the set-based
    fast path (``fast``, the default), or each clock in its own savepoint (the reference path)."""
    from .sweep_fast import (
        write_batch,  # sweep_fast falls back on this module's per-clock path
    )

    batch = Batch(session, Planner(session, now=require_aware(now), ladder=ladder, calendar=calendar))
    clocks = sweep_lock.lock_due_clock_rows(session, ids, batch.planner.now)
    batch.cases = sweep_lock.lock_case_rows(session, (row.case_id for row in clocks))
    batch.fired = _fired_keys(session, [row.id for row in clocks])
    if fast:
        write_batch(batch, clocks)
    else:
        for clock in clocks:
            batch.per_clock(clock)
    session.flush()
    return batch.report


@dataclass
class Batch:
    """One batch being swept: its planner, its locked cases as the writes so far leave them, its fired keys."""

    session: Session
    planner: Planner
    cases: dict[int, CaseValues] = field(default_factory=dict)
    fired: dict[int, set[str]] = field(default_factory=dict)
    report: SweepReport = field(default_factory=SweepReport)

    def plan(self, clock: ClockRow, case: CaseValues) -> ClockPlan | None:
        """The clock's plan; None, reported as failed, when its ladder cannot be applied."""
        try:
            return self.planner.plan(clock, case, self.fired[clock.id])
        except Exception as exc:  # one broken clock never stops the sweep
            log.exception("sweep failed for clock %s", clock.id)
            self.report.failed[clock.id] = f"{type(exc).__name__}: {exc}"
            return None

    def busy(self, clock: ClockRow) -> None:
        log.info("case of clock %s is locked by another transaction: left for the next sweep", clock.id)
        self.report.busy.append(clock.id)

    def per_clock(self, clock: ClockRow) -> None:
        """Plan the clock from its case as the batch has left it, and write the plan in its own savepoint."""
        case = self.cases.get(clock.case_id)
        if case is None:
            return self.busy(clock)
        plan = self.plan(clock, case)
        if plan is None:
            return
        try:
            with self.session.begin_nested():
                write_clock(self.session, plan)
        except StaleDataError:
            log.info("clock %s changed meanwhile (version guard): left for the next sweep", clock.id)
            self.report.stale.append(clock.id)
        except AlreadyFired:
            log.info("a step of clock %s was fired by another scheduler", clock.id)
            self.report.raced.append(clock.id)
        except Exception as exc:  # one broken clock never stops the sweep
            log.exception("sweep failed for clock %s", clock.id)
            self.report.failed[clock.id] = f"{type(exc).__name__}: {exc}"
        else:
            self.cases[case.id] = plan.after
            self.report.done(plan)


# --- the per-clock writer -------------------------------------------------------------------------------------------


def write_clock(session: Session, plan: ClockPlan) -> None:
    """Write one clock's plan with ORM objects (the caller holds a savepoint): records first (their unique key
    refuses a second fire), history and notifications, then the clock and the case under their version guard."""
    records = [EscalationRecord(**row) for row in plan.records]
    session.add_all(records)
    try:
        session.flush()
    except IntegrityError as exc:
        raise AlreadyFired(f"{plan.clock.id}/{[r['step_key'] for r in plan.records]}") from exc
    history.write(session, plan.events)
    if plan.notifications:
        session.execute(insert(Notification.__table__), plan.notifications)
    clock, case = _at_version(session, Clock, plan.clock), _at_version(session, Case, plan.case)
    after = plan.after
    moved = (after.unit_id, after.assignee_id) != (case.unit_id, case.assignee_id)
    if moved:  # loaded before any change: a load never flushes a half-applied plan
        unit = session.get(Unit, after.unit_id)
        assignee = session.get(User, after.assignee_id) if after.assignee_id is not None else None
    if plan.state != clock.state:
        clock.state = plan.state
    if (after.escalation_level, after.priority) != (case.escalation_level, case.priority):
        case.escalation_level, case.priority = after.escalation_level, after.priority
    if moved:
        case.unit, case.assignee = unit, assignee
    session.flush()  # the steps' changes: one write of the clock, one of the case
    if (plan.next_at, plan.next_key) != (clock.next_escalation_at, clock.next_step_key):
        clock.next_escalation_at, clock.next_step_key = plan.next_at, plan.next_key
        session.flush()  # the next step: a second write of the clock, as ``ClockPlan.clock_values`` counts it


def _at_version(session: Session, cls: type, row: ClockRow | CaseValues):
    """The object of a locked row, read again; ``StaleDataError`` when its version is no longer the one planned
    from (someone changed the row since the lock read)."""
    obj = session.get(cls, row.id, populate_existing=True)
    if obj is None or obj.version != row.version:
        raise StaleDataError(f"{cls.__tablename__} {row.id} changed since it was read")
    return obj
