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
3. Each clock fires every unfired step due by ``now`` in order (catch-up after downtime), then schedules the
   next one. The common clocks go through the set-based fast path (``sweep_fast``): a run of them is written with
   a few statements in one SAVEPOINT. Any other clock, and any run the fast path cannot write as planned, goes
   through the per-clock path below, which gives the reference behaviour: each clock in its own SAVEPOINT. The
   ORM's ``version_id_col`` guards the clock and case updates: a stale version raises ``StaleDataError`` and the
   clock is skipped, never overwritten. ``EscalationRecord``'s unique (clock, step) key is the last guard against a
   double fire. Any other error is logged and only that clock's savepoint is rolled back.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Iterator, Sequence

from sqlalchemy import ARRAY, Integer, any_, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ...engine.calendar import WorkCalendar, format_date
from ...engine.deadlines import step_due_at
from ...engine.types import LadderStep, as_utc
from ...models import Case, Clock, EscalationRecord, Unit
from ...notify import outbox
from ...timeutil import to_local
from ..cases import history
from .calendar import load_calendar
from .clocks import LadderLookup, schedule_next_step

log = logging.getLogger("dvflow.sweep")

DEFAULT_BATCH_SIZE = 200


class AlreadyFired(Exception):
    """Another sweep recorded this step first (the unique key of EscalationRecord refused ours)."""


@dataclass(frozen=True)
class PlannedStep:
    """A step that is due (dry run) or has just fired (real sweep)."""

    case_id: int
    case_code: str
    clock_id: int
    clock: str
    clock_label: str
    step: str
    step_label: str
    due_at: datetime
    actions: tuple[str, ...] = ()

    def line(self) -> str:
        """One Vietnamese line for the command's output."""
        due = to_local(self.due_at).strftime("%d/%m/%Y %H:%M")
        return f"{self.case_code}  {self.clock_label or self.clock}  {self.step_label or self.step}  (đến hạn {due})"


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


# --- selecting the work -------------------------------------------------------------------------------------------


def _due(now: datetime):
    return Clock.next_escalation_at.is_not(None), Clock.next_escalation_at <= now, Clock.closed_at.is_(None)


def id_in(column, ids: Sequence[int], dialect: str):
    """``column IN (ids)``; on PostgreSQL ``column = ANY(:ids)``, one array parameter: psycopg would parse a statement
    of one placeholder per id at every execution. Elsewhere one expanding parameter: the statement is compiled once."""
    if dialect == "postgresql":
        return column == any_(bindparam(None, list(ids), type_=ARRAY(Integer)))
    return column.in_(bindparam(None, list(ids), expanding=True))


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def due_clock_ids(session: Session, now: datetime) -> list[int]:
    """Ids of the open clocks whose next step is due, sorted (one range scan of the partial index)."""
    ids = session.scalars(select(Clock.id).where(*_due(as_utc(now)))).all()
    return sorted(ids)


def batches(ids: Sequence[int], size: int = DEFAULT_BATCH_SIZE) -> Iterator[list[int]]:
    """Consecutive slices of the sorted ids: each batch starts after the last id of the previous one."""
    for start in range(0, len(ids), size):
        yield list(ids[start:start + size])


def lock_due_clocks(session: Session, ids: Sequence[int], now: datetime) -> list[Clock]:
    """The batch's clocks that are still due, locked (PostgreSQL: rows held by others are skipped)."""
    query = (select(Clock).where(id_in(Clock.id, ids, _dialect(session)), *_due(now)).order_by(Clock.id)
             .with_for_update(skip_locked=True).execution_options(populate_existing=True))
    return list(session.scalars(query))


def lock_cases(session: Session, case_ids: Iterable[int]) -> dict[int, Case]:
    """The cases of a batch, locked; a case another transaction holds (an officer at work) is left out."""
    query = (select(Case).where(id_in(Case.id, sorted(set(case_ids)), _dialect(session))).order_by(Case.id)
             .with_for_update(skip_locked=True).execution_options(populate_existing=True))
    return {case.id: case for case in session.scalars(query)}


# --- planning -------------------------------------------------------------------------------------------------------


def plan_steps(clock: Clock, ladder: Sequence[LadderStep], calendar: WorkCalendar, fired: set[str],
               now: datetime) -> list[tuple[datetime, LadderStep]]:
    """The unfired steps due by ``now``, in the order ``schedule_next_step`` would schedule them."""
    if clock.closed_at is not None or clock.state == "paused" or clock.due_date is None:
        return []
    items = sorted(((step_due_at(clock.due_date, s, calendar), i, s) for i, s in enumerate(ladder)),
                   key=lambda t: (t[0], t[1]))
    seen, plan = set(fired), []
    for at, _i, step in items:
        if at <= now and step.key not in seen:
            seen.add(step.key)
            plan.append((at, step))
    return plan


def _fired_keys(session: Session, clock_ids: Sequence[int]) -> dict[int, set[str]]:
    fired: dict[int, set[str]] = {i: set() for i in clock_ids}
    rows = session.execute(select(EscalationRecord.clock_id, EscalationRecord.step_key)
                           .where(id_in(EscalationRecord.clock_id, clock_ids, _dialect(session))))
    for clock_id, key in rows:
        fired[clock_id].add(key)
    return fired


def _planned(case: Case, clock: Clock, step: LadderStep, at: datetime) -> PlannedStep:
    return PlannedStep(case_id=case.id, case_code=case.tracking_code, clock_id=clock.id, clock=clock.name,
                       clock_label=clock.label, step=step.key, step_label=step.label, due_at=at,
                       actions=tuple(step.actions))


# --- dry run --------------------------------------------------------------------------------------------------------


def preview(session: Session, *, now: datetime, ladder: LadderLookup, calendar: WorkCalendar | None = None,
            batch_size: int = DEFAULT_BATCH_SIZE) -> list[PlannedStep]:
    """What a sweep at ``now`` would fire, in order; reads only, locks nothing, writes nothing."""
    now = as_utc(now)
    calendar = calendar or load_calendar(session)
    planned: list[PlannedStep] = []
    for ids in batches(due_clock_ids(session, now), batch_size):
        fired = _fired_keys(session, ids)
        for clock in session.scalars(select(Clock).where(Clock.id.in_(ids)).order_by(Clock.id)):
            planned += _preview_one(session, clock, fired[clock.id], now=now, ladder=ladder, calendar=calendar)
    return planned


def _preview_one(session: Session, clock: Clock, fired: set[str], *, now: datetime, ladder: LadderLookup,
                 calendar: WorkCalendar) -> list[PlannedStep]:
    case = session.get(Case, clock.case_id)
    try:
        steps = plan_steps(clock, ladder(case, clock.name), calendar, fired, now)
    except Exception:  # the real sweep would log and skip this clock too
        log.exception("dry run: cannot plan clock %s", clock.id)
        return []
    return [_planned(case, clock, step, at) for at, step in steps]


# --- the real sweep -------------------------------------------------------------------------------------------------


def sweep(session: Session, *, now: datetime, ladder: LadderLookup, calendar: WorkCalendar | None = None,
          batch_size: int = DEFAULT_BATCH_SIZE, fast: bool = True) -> SweepReport:
    """Every due step in the caller's transaction (one commit by the caller). The scheduler commits per batch."""
    now = as_utc(now)
    calendar = calendar or load_calendar(session)
    report = SweepReport()
    for ids in batches(due_clock_ids(session, now), batch_size):
        report.merge(sweep_batch(session, ids, now=now, ladder=ladder, calendar=calendar, fast=fast))
    return report


def sweep_batch(session: Session, ids: Sequence[int], *, now: datetime, ladder: LadderLookup,
                calendar: WorkCalendar, fast: bool = True) -> SweepReport:
    """Lock the batch's still-due clocks and their cases, then fire their steps: through the set-based fast path
    (``fast``, the default), or each clock in its own savepoint (the reference path, also the fast path's fallback)."""
    now = as_utc(now)
    report = SweepReport()
    if fast:  # the clocks and cases as plain rows (sweep_lock); fired keys as in the per-clock path
        from .sweep_fast import sweep_locked
        from .sweep_lock import lock_case_rows, lock_due_clock_rows

        rows = lock_due_clock_rows(session, ids, now)
        cases = lock_case_rows(session, (row.case_id for row in rows))  # CaseRow stand-ins; a held Case stays itself
        fired = _fired_keys(session, [row.id for row in rows])
        sweep_locked(session, rows, cases, fired, now=now, ladder=ladder, calendar=calendar, report=report)
    else:
        clocks = lock_due_clocks(session, ids, now)
        cases = lock_cases(session, (c.case_id for c in clocks))
        fired = _fired_keys(session, [c.id for c in clocks])
        for clock in clocks:
            _sweep_one(session, clock, cases.get(clock.case_id), fired[clock.id], now=now, ladder=ladder,
                       calendar=calendar, report=report)
    session.flush()
    return report


def _sweep_one(session: Session, clock: Clock, case: Case | None, fired: set[str], *, now: datetime,
               ladder: LadderLookup, calendar: WorkCalendar, report: SweepReport) -> None:
    clock_id = clock.id
    if case is None:
        log.info("case of clock %s is locked by another transaction: left for the next sweep", clock_id)
        report.busy.append(clock_id)
        return
    try:
        with session.begin_nested():
            done = fire_due_steps(session, case, clock, fired, now=now, ladder=ladder, calendar=calendar)
    except StaleDataError:
        log.info("clock %s changed meanwhile (version guard): left for the next sweep", clock_id)
        report.stale.append(clock_id)
    except AlreadyFired:
        log.info("a step of clock %s was fired by another scheduler", clock_id)
        report.raced.append(clock_id)
    except Exception as exc:  # one broken clock never stops the sweep
        log.exception("sweep failed for clock %s", clock_id)
        report.failed[clock_id] = f"{type(exc).__name__}: {exc}"
    else:
        report.clocks += 1
        report.fired += done


def fire_due_steps(session: Session, case: Case, clock: Clock, fired: set[str], *, now: datetime,
                   ladder: LadderLookup, calendar: WorkCalendar) -> list[PlannedStep]:
    """Catch-up for one locked clock: fire each unfired step due by ``now`` in order, then schedule the next.

    Equivalent to "fire the next step, schedule_next_step, repeat while it is due": ``plan_steps`` orders the
    unfired steps exactly as ``schedule_next_step`` does.
    """
    steps = ladder(case, clock.name)
    due = plan_steps(clock, steps, calendar, fired, now)
    done = [fire_step(session, case, clock, step, at, now) for at, step in due]
    session.flush()  # version-guarded UPDATEs: StaleDataError if someone changed the clock or the case meanwhile
    with session.no_autoflush:  # the records of a locked clock are written only by the sweep holding its lock
        schedule_next_step(session, clock, steps, calendar, fired=fired | {step.key for _at, step in due})
    session.flush()
    return done


def fire_step(session: Session, case: Case, clock: Clock, step: LadderStep, due_at: datetime,
              now: datetime) -> PlannedStep:
    """Queue one step's notifications, apply its actions, record it and write the case history."""
    template = step_template(step)
    queued = outbox.queue(session, case, step.notify, template, _params(case, clock, step), now) if step.notify else []
    applied = [apply_action(session, case, clock, step, action, now) for action in step.actions]
    _claim(session, clock, step, due_at, now,
           {"template": template, "notified": sorted({n["user_id"] for n in queued}), "actions": applied})
    history.write(session, [history.event(case.id, "escalate", at=now, from_state=case.state, to_state=case.state,
                                          payload={"clock": clock.name, "step": step.key,
                                                   "due_at": due_at.isoformat(), "actions": list(step.actions)})])
    return _planned(case, clock, step, due_at)


def _claim(session: Session, clock: Clock, step: LadderStep, due_at: datetime, now: datetime,
           detail: dict) -> EscalationRecord:
    """Insert the step's record at once: its unique (clock, step) key refuses a second fire."""
    record = EscalationRecord(clock_id=clock.id, step_key=step.key, due_at=due_at, fired_at=now, detail=detail)
    session.add(record)
    try:
        session.flush([record])
    except IntegrityError as exc:
        raise AlreadyFired(f"{clock.id}/{step.key}") from exc
    return record


def step_template(step: LadderStep) -> str:
    """clock_due_soon before the due date, clock_overdue at it, clock_escalated after it."""
    if step.offset < 0:
        return "clock_due_soon"
    return "clock_overdue" if step.offset == 0 else "clock_escalated"


def _params(case: Case, clock: Clock, step: LadderStep) -> dict:
    return {"clock": clock.label or clock.name, "due": format_date(clock.due_date) if clock.due_date else "",
            "step": step.label or step.key, "subject": case.subject, "code": case.tracking_code}


# --- ladder actions -------------------------------------------------------------------------------------------------


#: the ladder actions that change only the clock's state and the case's escalation level and priority
SIMPLE_ACTIONS = frozenset({"mark_missed", "raise_level", "mark_priority"})


def simple_action(action: str, state: str, level: int | None, priority: bool) -> tuple[str, int | None, bool, dict]:
    """One of SIMPLE_ACTIONS on these values: the clock's state, the case's level and priority after it, and what
    was done (kept in the escalation record). The per-clock path and the fast path both apply actions through it."""
    if action == "mark_missed":
        changed = state == "running"
        return ("missed" if changed else state), level, priority, {"action": action, "changed": changed}
    if action == "raise_level":
        level = (level or 0) + 1
        return state, level, priority, {"action": action, "level": level}
    return state, level, True, {"action": action}  # mark_priority


def apply_action(session: Session, case: Case, clock: Clock, step: LadderStep, action: str, now: datetime) -> dict:
    """Apply one ladder action; returns what was done (kept in the escalation record)."""
    if action in SIMPLE_ACTIONS:
        state, level, priority, done = simple_action(action, clock.state, case.escalation_level, case.priority)
        if state != clock.state:
            clock.state = state
        if level != case.escalation_level:
            case.escalation_level = level
        if priority != case.priority:
            case.priority = priority
        return done
    if action == "reassign_parent":
        return _reassign_parent(session, case, clock, step, now)
    raise ValueError(f"Hành động thang cảnh báo không hợp lệ: {action!r}")


def _reassign_parent(session: Session, case: Case, clock: Clock, step: LadderStep, now: datetime) -> dict:
    unit = session.get(Unit, case.unit_id)
    if unit is None or unit.parent_id is None:
        return {"action": "reassign_parent", "changed": False, "reason": "Đơn vị không có cấp trên trực tiếp"}
    parent = session.get(Unit, unit.parent_id)
    previous_assignee = case.assignee_id
    case.unit, case.assignee = parent, None
    history.write(session, [history.event(
        case.id, "reassign", at=now, from_state=case.state, to_state=case.state,
        payload={"from_unit": unit.id, "from_unit_code": unit.code, "to_unit": parent.id,
                 "to_unit_code": parent.code, "previous_assignee": previous_assignee, "reason": "escalation",
                 "clock": clock.name, "step": step.key})])
    return {"action": "reassign_parent", "changed": True, "from_unit": unit.id, "to_unit": parent.id}
