"""Moving the clocks that count from a case's receipt date when that date is corrected.

A clock counts from the receipt date when its workflow says so (``start_date: received_at``) or when it started at
registration (``start.on_enter`` the initial state, from the receipt date). Each such open clock gets the new start
date, the rule in force on it (the clock keeps its variant), and a new due date and next escalation step; a step
already fired stays fired (it happened, and is not sent twice), and a clock marked missed runs again when its new
end is still ahead. The case's last legal date follows the receipt date while no action is recorded.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import Case, CaseEvent, Clock
from ...timeutil import local_date
from ..deadlines import clocks
from ..deadlines.calendar import load_calendar


def from_receipt(defn, clock: Clock, old_day: date) -> bool:
    spec = defn.clocks.get(clock.name)
    if spec is None or clock.start_date != old_day:
        return False
    return spec.start_date == "received_at" or spec.start_on_enter == defn.initial


def recompute(session: Session, workflows, defn, case: Case, old_day: date, now: datetime) -> list[dict]:
    """Move the open clocks counting from `old_day` to the case's (new) receipt date; the moves, for the history."""
    new_day = local_date(case.received_at)
    calendar = load_calendar(session)
    moved = []
    for clock in clocks.open_clocks(case, session):
        if not from_receipt(defn, clock, old_day):
            continue
        old_due = clock.due_date
        _restart(defn.clocks[clock.name], clock, case, new_day)
        clocks.refresh(session, clock, workflows.ladder(session, case.workflow_version, clock.name), calendar, now)
        if clock.state == "missed" and clock.due_at is not None and clock.due_at > now:
            clock.state = "running"
        moved.append({"clock": clock.name, "label": clock.label, "old_start_date": old_day.isoformat(),
                      "new_start_date": new_day.isoformat(),
                      "old_due_date": old_due.isoformat() if old_due else None,
                      "new_due_date": clock.due_date.isoformat() if clock.due_date else None,
                      "next_step": clock.next_step_key})
    _last_legal_date(session, defn, case, new_day)
    return moved


def _restart(spec, clock: Clock, case: Case, day: date) -> None:
    clocks.reapply_rule(spec, clock, case, day)
    clock.start_date = day


def _last_legal_date(session: Session, defn, case: Case, day: date) -> None:
    latest = session.scalar(select(func.max(CaseEvent.legal_date)).where(
        CaseEvent.case_id == case.id, CaseEvent.action.in_(sorted({t.trigger for t in defn.transitions}))))
    case.last_legal_date = max(day, latest) if latest is not None else day
