"""The one planner of the deadline sweep: everything firing a clock's due steps does, computed before any write.

``Planner.plan`` takes a locked clock and its case as plain rows (``sweep_lock``), the clock's fired step keys, and
returns a ``ClockPlan``: the due steps (catch-up after downtime, in ``schedule_next_step``'s order), their
notifications (recipients, template, parameters), what each ladder action does to the clock's state and to the
case's escalation level, priority, unit and assignee, the escalation records with their detail, the case history
events, the clock's next step, and the versions the rows will have. Both writers only apply a plan: the fast path
with a few bulk statements for a run of clocks (``sweep_fast``), the per-clock path with ORM objects in a savepoint
(``sweep.write_clock``). The ladder rules are therefore written once, here.

A ``Planner`` lives for one batch: the ladders (by workflow version and clock name), the due steps and next step of
clocks sharing a ladder, due date, state and fired keys, the units and the escalation payloads are computed once.
Planning only reads (the recipients and units, through the session); it never writes.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Sequence

from sqlalchemy.orm import Session

from ...engine.calendar import WorkCalendar, format_date
from ...engine.types import LadderStep
from ...models import Unit
from ...notify import outbox
from ...timeutil import to_local
from ..cases import history
from .clocks import LadderLookup, schedule_next_step, step_schedule
from .sweep_lock import CaseValues, ClockRow

log = logging.getLogger("dvflow.sweep")

#: the ladder actions that change only the clock's state and the case's escalation level and priority
SIMPLE_ACTIONS = frozenset({"mark_missed", "raise_level", "mark_priority"})
NO_HEAD_ABOVE = "Không đơn vị cấp trên nào có trưởng đơn vị"


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
class ClockPlan:
    """What sweeping one clock writes. ``case`` is the case as read, ``after`` as the steps leave it."""

    clock: ClockRow
    case: CaseValues
    after: CaseValues
    state: str  # the clock's state after the steps' actions
    next_at: datetime | None
    next_key: str | None
    fired: list[PlannedStep] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)  # EscalationRecord columns
    events: list[dict] = field(default_factory=list)  # history.event rows, in the order they happen
    notifications: list[dict] = field(default_factory=list)  # outbox.notification_rows

    def clock_values(self) -> dict | None:
        """The clock's new column values, None when the row does not change. Its version moves by one per write
        the per-clock path flushes: the state after the steps, then the next step."""
        clock = self.clock
        bumps = (self.state != clock.state) + ((self.next_at, self.next_key)
                                               != (clock.next_escalation_at, clock.next_step_key))
        if not bumps:
            return None
        return dict(state=self.state, next_escalation_at=self.next_at, next_step_key=self.next_key,
                    version=clock.version + bumps)


@dataclass
class _Schedule:
    """The due steps and the next step of the clocks sharing a ladder, due date, state and fired keys."""

    due: list[tuple[datetime, LadderStep]]
    next_at: datetime | None
    next_key: str | None


@dataclass
class _ClockStandIn:
    """What ``schedule_next_step`` reads and writes, so that it schedules for the planner without an ORM object."""

    id: int
    closed_at: datetime | None
    state: str
    due_date: date | None
    next_escalation_at: datetime | None = None
    next_step_key: str | None = None


def due_steps(clock, ladder: Sequence[LadderStep], calendar: WorkCalendar, fired: set[str],
              now: datetime) -> list[tuple[datetime, LadderStep]]:
    """The unfired steps due by ``now``, in the order ``schedule_next_step`` would schedule them."""
    seen, plan = set(fired), []
    for at, step in step_schedule(clock, ladder, calendar):
        if at <= now and step.key not in seen:
            seen.add(step.key)
            plan.append((at, step))
    return plan


def step_template(step: LadderStep) -> str:
    """clock_due_soon before the due date, clock_overdue at it, clock_escalated after it."""
    if step.offset < 0:
        return "clock_due_soon"
    return "clock_overdue" if step.offset == 0 else "clock_escalated"


#: the actions a step given back and fired again does not repeat (the case's level, the unit it was moved to)
ONCE_PER_LATENESS = frozenset({"raise_level", "reassign_parent"})


def simple_action(action: str, state: str, level: int | None, priority: bool) -> tuple[str, int | None, bool, dict]:
    """One of SIMPLE_ACTIONS on these values: the clock's state, the case's level and priority after it, and what
    was done (kept in the escalation record)."""
    if action == "mark_missed":
        changed = state == "running"
        return ("missed" if changed else state), level, priority, {"action": action, "changed": changed}
    if action == "raise_level":
        level = (level or 0) + 1
        return state, level, priority, {"action": action, "level": level}
    return state, level, True, {"action": action}  # mark_priority


def planned(case, clock, step: LadderStep, at: datetime) -> PlannedStep:
    return PlannedStep(case_id=case.id, case_code=case.tracking_code, clock_id=clock.id, clock=clock.name,
                       clock_label=clock.label, step=step.key, step_label=step.label, due_at=at,
                       actions=tuple(step.actions))


class Planner:
    """Plans the clocks of one batch (see the module's docstring)."""

    def __init__(self, session: Session, *, now: datetime, ladder: LadderLookup, calendar: WorkCalendar):
        self.session, self.now, self.lookup, self.calendar = session, now, ladder, calendar
        self._ladders: dict[tuple[str, str], Sequence[LadderStep]] = {}
        self._schedules: dict[tuple, _Schedule] = {}
        self._payloads: dict[tuple, dict] = {}
        self._units: dict[int, Unit | None] = {}

    def ladder(self, workflow_version: str, clock_name: str) -> Sequence[LadderStep]:
        key = (workflow_version, clock_name)
        found = self._ladders.get(key)
        if found is None:
            found = self._ladders[key] = self.lookup(self.session, workflow_version, clock_name)
        return found

    def due(self, clock, workflow_version: str, fired: set[str]) -> list[tuple[datetime, LadderStep]]:
        """The clock's due steps only (the dry run)."""
        return due_steps(clock, self.ladder(workflow_version, clock.name), self.calendar, fired, self.now)

    def plan(self, clock: ClockRow, case: CaseValues, fired: set[str]) -> ClockPlan:
        """Fire every due step of ``clock`` in order, on paper; raises for a ladder it cannot apply."""
        schedule = self._schedule(clock, self.ladder(case.workflow_version, clock.name), fired)
        plan = ClockPlan(clock, case, case, clock.state, schedule.next_at, schedule.next_key)
        given_back = {key.split("@", 1)[0] for key in fired if "@" in key}
        for at, step in schedule.due:
            self._fire(plan, step, at, again=step.key in given_back)
        after = plan.after
        if (after.escalation_level, after.priority, after.unit_id, after.assignee_id) != (
                case.escalation_level, case.priority, case.unit_id, case.assignee_id):
            plan.after = after._replace(version=case.version + 1)  # one write of the case per clock
        return plan

    def _schedule(self, clock: ClockRow, steps: Sequence[LadderStep], fired: set[str]) -> _Schedule:
        key = (id(steps), clock.due_date, clock.state, clock.closed_at is None, frozenset(fired))
        found = self._schedules.get(key)
        if found is None:
            due = due_steps(clock, steps, self.calendar, fired, self.now)
            # the next step does not depend on the actions: only a paused or closed clock has none
            after = _ClockStandIn(clock.id, clock.closed_at, clock.state, clock.due_date)
            schedule_next_step(self.session, after, steps, self.calendar, fired=fired | {s.key for _at, s in due})
            found = self._schedules[key] = _Schedule(due, after.next_escalation_at, after.next_step_key)
        return found

    def _fire(self, plan: ClockPlan, step: LadderStep, at: datetime, again: bool = False) -> None:
        """One step: its notifications (to the case as it stands before the step's actions), its actions, its
        record and its history event. A step fired `again` (given back when a decision dated in time moved the due
        date: clocks.after_move) tells again, but raises no level and moves the case no further up: it was raised
        and moved the first time, and one lateness is one escalation."""
        clock, case, now = plan.clock, plan.after, self.now
        template = step_template(step)
        queued = outbox.notification_rows(self.session, case, step.notify, template, _params(case, clock, step),
                                          now) if step.notify else []
        applied = [{"action": action, "changed": False, "reason": "Đã thực hiện khi bước này chạy lần trước"}
                   if again and action in ONCE_PER_LATENESS else self._act(plan, step, action)
                   for action in step.actions]
        plan.notifications += queued
        plan.records.append(dict(clock_id=clock.id, step_key=step.key, due_at=at, fired_at=now, detail={
            "template": template, "notified": sorted({n["user_id"] for n in queued}), "actions": applied}))
        plan.events.append(history.event(case.id, "escalate", at=now, from_state=case.state, to_state=case.state,
                                         payload=self._payload(clock.name, step, at)))
        plan.fired.append(planned(case, clock, step, at))

    def _act(self, plan: ClockPlan, step: LadderStep, action: str) -> dict:
        """Apply one ladder action to the plan's clock state and case values; returns what was done."""
        case = plan.after
        if action in SIMPLE_ACTIONS:
            plan.state, level, priority, done = simple_action(action, plan.state, case.escalation_level,
                                                              case.priority)
            if (level, priority) != (case.escalation_level, case.priority):
                plan.after = case._replace(escalation_level=level, priority=priority)
            return done
        if action == "reassign_parent":
            return self._reassign_parent(plan, step)
        raise ValueError(f"Hành động thang cảnh báo không hợp lệ: {action!r}")

    def _reassign_parent(self, plan: ClockPlan, step: LadderStep) -> dict:
        """The case goes to the parent unit, unassigned; its history says so. A parent whose head's post is vacant
        is passed over for the next unit up with a head (as the escalation's notice is): in a unit without one,
        nobody would assign the case. With none above, the case stays where it is."""
        case = plan.after
        unit = self._unit(case.unit_id)
        if unit is None or unit.parent_id is None:
            return {"action": "reassign_parent", "changed": False, "reason": "Đơn vị không có cấp trên trực tiếp"}
        above = outbox.head_unit_above(self.session, unit.id)
        if above is None:
            return {"action": "reassign_parent", "changed": False, "reason": NO_HEAD_ABOVE}
        parent = self._unit(above)
        plan.after = case._replace(unit_id=parent.id, assignee_id=None)
        plan.events.append(history.event(
            case.id, "reassign", at=self.now, from_state=case.state, to_state=case.state,
            payload={"from_unit": unit.id, "from_unit_code": unit.code, "to_unit": parent.id,
                     "to_unit_code": parent.code, "previous_assignee": case.assignee_id, "reason": "escalation",
                     "clock": plan.clock.name, "step": step.key}))
        return {"action": "reassign_parent", "changed": True, "from_unit": unit.id, "to_unit": parent.id}

    def _unit(self, unit_id: int) -> Unit | None:
        if unit_id not in self._units:
            self._units[unit_id] = self.session.get(Unit, unit_id)
        return self._units[unit_id]

    def _payload(self, clock_name: str, step: LadderStep, at: datetime) -> dict:
        """An escalation event's payload: one object per clock name, step and due instant in the batch, so that the
        bulk write serialises each once."""
        key = (clock_name, step.key, at, tuple(step.actions))
        found = self._payloads.get(key)
        if found is None:
            found = self._payloads[key] = {"clock": clock_name, "step": step.key, "due_at": at.isoformat(),
                                           "actions": list(step.actions)}
        return found


def _params(case: CaseValues, clock: ClockRow, step: LadderStep) -> dict:
    return {"clock": clock.label or clock.name, "due": format_date(clock.due_date) if clock.due_date else "",
            "step": step.label or step.key, "subject": case.subject, "code": case.tracking_code}
