"""Applying clock changes: start, stop, pause, resume, extend, cancel; due dates and the next escalation step."""
from __future__ import annotations

from datetime import date, datetime
from typing import Callable, Sequence

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from ...engine.calendar import WorkCalendar
from ...engine.deadlines import DueDate, compute_due, step_due_at
from ...engine.types import ClockOp, ClockRule, Extension, LadderStep, Pause
from ...models import Case, Clock, EscalationRecord
from ...timeutil import start_of_day_utc
from ..cases import history

#: (session, workflow version, clock name) -> the clock's ladder; the session reads a stored older version
LadderLookup = Callable[[Session, str, str], Sequence[LadderStep]]


def rule_of(clock: Clock) -> ClockRule:
    return ClockRule(days=clock.days, unit=clock.unit, basis=clock.basis, label=clock.rule_label,
                     variant=clock.variant)


def pauses_of(clock: Clock) -> list[Pause]:
    return [Pause(start=date.fromisoformat(p["start"]), end=date.fromisoformat(p["end"]) if p.get("end") else None)
            for p in clock.pauses]


def extensions_of(clock: Clock) -> list[Extension]:
    return [Extension(days=e["days"], decided_on=date.fromisoformat(e["decided_on"]), number=e.get("number", ""),
                      reason=e.get("reason", "")) for e in clock.extensions]


def explain(clock: Clock, calendar: WorkCalendar) -> DueDate:
    """Why the clock's due date is what it is, line by line."""
    return compute_due(rule_of(clock), clock.start_date, calendar, pauses_of(clock), extensions_of(clock))


_OPEN_CLOCKS = select(Clock).where(Clock.case_id == bindparam("case_id"), Clock.closed_at.is_(None)).order_by(Clock.id)


def reapply_rule(spec, clock: Clock, case: Case, day: date) -> None:
    """Set an open clock's length, basis, label and variant from `spec` (a clock definition) for a start on `day`: a
    corrected receipt date, a new workflow version. The variant is the one the case's flags choose now. A flag found
    after the clock started (complexity, a remote area) was added to it as an extension; when the clock takes the
    variant the flags choose, those extensions go, as the variant's length now holds them (kept, a 30-day limit
    found remote became 60 days, not 45). Extensions a head decided stay."""
    rule = spec.choose_rule(day, case.flags, case.unit.remote_area, case.facts)
    if rule.variant != clock.variant:
        clock.extensions = [e for e in clock.extensions if not _from_flag(e)]
    clock.days, clock.unit, clock.basis, clock.rule_label, clock.variant = (
        rule.days, rule.unit, rule.basis, rule.label, rule.variant)


def _from_flag(extension: dict) -> bool:
    # the engine's extension for a flag found later names its variant; older ones are known by the reason it wrote
    # for them ("<the variant's label>; căn cứ: <its basis>"), which a head's decision does not carry
    return bool(extension.get("variant")) or "; căn cứ: " in (extension.get("reason") or "")


def open_clocks(case: Case, session: Session) -> list[Clock]:
    return list(session.scalars(_OPEN_CLOCKS, {"case_id": case.id}))


def apply_clock_ops(session: Session, case: Case, ops: Sequence[ClockOp], *, labels: dict[str, str],
                    ladder: LadderLookup, calendar: WorkCalendar, now: datetime,
                    running: dict[str, Clock] | None = None, voided: bool = False) -> list[dict]:
    """Apply an outcome's clock operations; returns a summary of each for the case history. `running` is the case's
    open clocks by name when the caller already has them (they are loaded otherwise). `voided`: the case was
    entered by mistake, so its limits are cancelled whatever their dates (they never applied)."""
    summary = []
    current = dict(running) if running is not None else {c.name: c for c in open_clocks(case, session)}
    for op in ops:
        clock = current.get(op.clock)
        if op.op == "start":
            if clock is not None:  # restarting a clock closes the previous run
                _close(clock, "cancelled", now, op.on)
            clock = _start(session, case, op, labels.get(op.clock, op.clock), now)
            current[op.clock] = clock
        elif clock is None:
            continue  # nothing to stop, pause or extend: the workflow asked for a clock that is not running
        elif op.op in ("stop", "cancel"):
            _stop(clock, op, now, voided)
        elif op.op == "pause":
            clock.pauses = [*clock.pauses, {"start": op.on.isoformat(), "end": None}]
            clock.state = "paused"
        elif op.op == "resume":
            clock.pauses = [*clock.pauses[:-1], {**clock.pauses[-1], "end": op.on.isoformat()}] if clock.pauses else []
            clock.state = "running"
        elif op.op == "extend" and op.extension is not None:
            e = op.extension
            clock.extensions = [*clock.extensions, {"days": e.days, "decided_on": e.decided_on.isoformat(),
                                                    "number": e.number, "reason": e.reason,
                                                    **({"variant": e.variant} if e.variant else {})}]
        if clock.closed_at is None:
            steps = ladder(session, case.workflow_version, clock.name)
            refresh(session, clock, steps, calendar, now)
            if op.op in MOVES:
                after_move(session, clock, steps, calendar, now)
        summary.append({"op": op.op, "clock": op.clock, "on": op.on.isoformat(),
                        "due_date": clock.due_date.isoformat() if clock.due_date else None})
    session.flush()
    return summary


#: the operations that move an open clock's due date: the engine applies them only for a decision dated while the
#: clock was within its limit (engine/workflow/clock_ops.py), whenever it is entered
MOVES = ("extend", "pause", "resume")


def after_move(session: Session, clock: Clock, ladder: Sequence[LadderStep], calendar: WorkCalendar,
               now: datetime) -> None:
    """Bring an open clock's state and escalation steps in line with its moved due date.

    A clock the sweep had marked missed whose new last day is still ahead counts again (running), and each step it
    fired against the earlier due date that now falls due after ``now`` is given back: its record is kept (the
    escalation happened, and the case history keeps its event) under the key ``<step>@<record id>``, which frees
    the (clock, step) key so the sweep fires the step once more, exactly once, at its new instant. A clock still
    past its new last day keeps the escalations it had, and is marked missed if its marking step already fired."""
    if clock.closed_at is not None or clock.state == "paused" or clock.due_at is None or clock.id is None:
        return
    records = {r.step_key: r for r in session.scalars(select(EscalationRecord)
                                                      .where(EscalationRecord.clock_id == clock.id))}
    if clock.due_at <= now:
        if clock.state == "running" and any("mark_missed" in s.actions and s.key in records for s in ladder):
            clock.state = "missed"
        return
    clock.state = "running"
    given_back = False
    for at, step in step_schedule(clock, ladder, calendar):
        record = records.get(step.key)
        if record is not None and at > now and at != record.due_at:
            record.step_key = f"{step.key}@{record.id}"[:40]
            given_back = True
    if given_back:
        session.flush()  # the freed keys before the next step is looked up in the records
        schedule_next_step(session, clock, ladder, calendar)


def _start(session: Session, case: Case, op: ClockOp, label: str, now: datetime) -> Clock:
    rule = op.rule
    clock = Clock(case_id=case.id, name=op.clock, label=label, basis=rule.basis, rule_label=rule.label,
                  variant=rule.variant, unit=rule.unit, days=rule.days, start_date=op.on, started_at=now,
                  state="running", pauses=[], extensions=[])
    session.add(clock)
    return clock


def _stop(clock: Clock, op: ClockOp, now: datetime, voided: bool = False) -> None:
    # a stop or a cancel is late by the dates alone when the limit has a last day: whether the sweep had already
    # marked it overdue must not decide (a report dated before the last day and entered after it is on time); a
    # voided case's limits never applied
    late = not voided and (op.on > clock.due_date if clock.due_date is not None else clock.state == "missed")
    on_time = "cancelled" if op.op == "cancel" else (op.result or "met")
    _close(clock, "missed" if late else on_time, now, op.on)


def _close(clock: Clock, state: str, now: datetime, on: date) -> None:
    """Stop the clock: entered at `now`, legally on `on` (the act's date, which the reports count it by)."""
    if clock.state == "paused" and clock.pauses and clock.pauses[-1].get("end") is None:
        clock.pauses = [*clock.pauses[:-1], {**clock.pauses[-1], "end": clock.pauses[-1]["start"]}]
    clock.state = state
    clock.closed_at, clock.closed_on = now, on
    clock.next_escalation_at = None
    clock.next_step_key = None


def refresh(session: Session, clock: Clock, ladder: Sequence[LadderStep], calendar: WorkCalendar,
            now: datetime) -> DueDate:
    """Recompute the due date and the next unfired escalation step of an open clock."""
    due = explain(clock, calendar)
    clock.due_date, clock.due_at = due.due_date, due.due_at
    schedule_next_step(session, clock, ladder, calendar)
    return due


def step_schedule(clock, ladder: Sequence[LadderStep], calendar: WorkCalendar) -> list[tuple[datetime, LadderStep]]:
    """The ladder's steps with the instant each falls due, in firing order (by instant, then by their order in the
    ladder); none for a clock that is closed, paused or has no due date. Both the next step of a clock and the
    sweep's due steps follow this order."""
    if clock.closed_at is not None or clock.state == "paused" or clock.due_date is None:
        return []
    timed = sorted(((step_due_at(clock.due_date, s, calendar), i, s) for i, s in enumerate(ladder)),
                   key=lambda t: (t[0], t[1]))
    return [(at, step) for at, _i, step in timed]


def schedule_next_step(session: Session, clock: Clock, ladder: Sequence[LadderStep], calendar: WorkCalendar,
                       fired: set[str] | None = None) -> None:
    """Point the clock at its next unfired step. ``fired``: the keys of its steps already fired, when the caller
    knows them (the sweep, which holds the clock's row lock); they are read from the escalation records otherwise."""
    clock.next_escalation_at, clock.next_step_key = None, None
    steps = step_schedule(clock, ladder, calendar)
    if not steps:
        return
    if fired is None:
        fired = set()
        if clock.id is not None:
            fired = set(session.scalars(select(EscalationRecord.step_key)
                                        .where(EscalationRecord.clock_id == clock.id)))
    for at, step in steps:
        if step.key not in fired:
            clock.next_escalation_at, clock.next_step_key = at, step.key
            return


def recompute_open_clocks(session: Session, *, ladder: LadderLookup, calendar: WorkCalendar, now: datetime,
                          reason: str, touching: date | None = None) -> int:
    """After a calendar change: recompute the open clocks it may move, and write each move to the case history.

    A change on day ``touching`` moves a due date on or after it, and also a pending escalation step counted in
    working days past the due date (a report to the superior three working days after it) that falls on or after
    it, though the due date itself stays."""
    query = select(Clock).where(Clock.closed_at.is_(None))
    if touching is not None:
        query = query.where(Clock.start_date < touching)
        query = query.where(Clock.due_date.is_(None) | (Clock.due_date >= touching)
                            | (Clock.next_escalation_at >= start_of_day_utc(touching)))
    moved = 0
    for clock in session.scalars(query.order_by(Clock.id)).all():
        case = session.get(Case, clock.case_id)
        old = clock.due_date
        refresh(session, clock, ladder(session, case.workflow_version, clock.name), calendar, now)
        if clock.due_date != old:
            moved += 1
            history.write(session, [history.event(
                case.id, "recompute_due", at=now, from_state=case.state, to_state=case.state,
                payload={"clock": clock.name, "old_due_date": old.isoformat() if old else None,
                         "new_due_date": clock.due_date.isoformat() if clock.due_date else None, "reason": reason})])
    session.flush()
    return moved
