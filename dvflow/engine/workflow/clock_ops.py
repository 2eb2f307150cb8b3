"""The clock operations of an action, and the limits on extending a clock.

A decision that extends, pauses or lengthens a clock (an extension, a suspension, a finding of complexity) is judged
by its legal date against the clock as it stood on that date: was the clock still within its limit then? Not by the
clock's state on the day the decision is entered: a suspension dated before the last day and entered after it
pauses the clock, one dated after it does not. A stop is judged the same way by the services
(``services/deadlines/clocks.py``, ``_stop``).
"""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from dvflow.engine.message import N_, label_of, msg
from dvflow.engine.types import CaseView, ClockOp, ClockView, Extension, Rejection
from dvflow.engine.workflow.definition import (
    ClockDef,
    Definition,
    TransitionDef,
)

#: a clock still counting: a stop, a cancel or a final state ends it, and a start does not start it again (an overdue
#: one included: left open, it would stay overdue after the case ended)
ACTIVE = ("running", "paused", "overdue")
#: the refusal of one extension too many, by the case's complexity: whole sentences, so each translates as one
TOO_MANY_EXTENSIONS = {
    "normal": N_("Vụ việc chỉ được gia hạn %(allowed)s lần (%(basis)s)"),
    "complex": N_("Vụ việc phức tạp chỉ được gia hạn %(allowed)s lần (%(basis)s)"),
    "especially_complex": N_("Vụ việc đặc biệt phức tạp chỉ được gia hạn %(allowed)s lần (%(basis)s)"),
}


def _fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def counting_on(view: ClockView | None, day: date | None) -> bool:
    """Whether the clock was still within its limit on ``day``: active, and ``day`` not after its last day. A paused
    clock has no last day and counts; an overdue one whose last day is not known does not. ``day`` None (an action
    offered before its date is given): whether some date could still fit."""
    if view is None or view.state not in ACTIVE:
        return False
    if view.due_on is None:
        return view.state != "overdue"
    return day is None or day <= view.due_on


def _complexity(flags: frozenset[str]) -> str:
    if "especially_complex" in flags:
        return "especially_complex"
    return "complex" if "complex" in flags else "normal"


def _not_counting(clock: ClockDef, view: ClockView | None, legal: date | None, basis: str) -> Rejection:
    if view is not None and view.due_on is not None and legal is not None and legal > view.due_on:
        return Rejection("limit", msg(N_("«%(clock)s» đã hết hạn ngày %(due)s: quyết định ngày %(date)s không thể "
                                         "gia hạn (%(basis)s)"), clock=label_of(clock), due=_fmt(view.due_on),
                                      date=_fmt(legal), basis=basis))
    return Rejection("limit", msg(N_("«%(clock)s» không đang được tính nên không thể gia hạn"), clock=label_of(clock)))


def limit_check(defn: Definition, t: TransitionDef, case: CaseView, typed: Mapping[str, Any],
                legal: date | None = None) -> Rejection | None:
    """A Rejection when ``t`` extends a clock beyond its policy, or one that was no longer within its limit on the
    decision's legal date ``legal`` (None: not known yet)."""
    for name in t.clock_ops.get("extend", ()):
        clock = defn.clocks[name]
        policy, view = clock.extensions, case.clocks.get(name)
        if policy is None:
            return Rejection("limit", msg(N_("«%(clock)s» không được gia hạn"), clock=label_of(clock)))
        if not counting_on(view, legal):
            return _not_counting(clock, view, legal, policy.basis)
        variant = _complexity(case.flags)
        allowed = policy.allowed_for(variant)
        if allowed == 0:
            return Rejection("limit", msg(N_("Vụ việc chưa được xác định là phức tạp nên không được gia hạn "
                                             "«%(clock)s» (%(basis)s)"), clock=label_of(clock), basis=policy.basis))
        if view.extensions >= allowed:
            return Rejection("limit", msg(TOO_MANY_EXTENSIONS[variant], allowed=allowed, basis=policy.basis))
        days = typed.get("days")
        if days is not None and not 0 < days <= policy.days_max:
            return Rejection("limit", msg(N_("Mỗi lần gia hạn «%(clock)s» từ 1 đến %(most)s ngày (%(basis)s)"),
                                          clock=label_of(clock), most=policy.days_max, basis=policy.basis),
                             field="days")
    return None


class _Ops:
    """Collects the clock operations of one outcome; a clock gets at most one operation of each kind."""

    def __init__(self, case: CaseView, on: date) -> None:
        self.views = case.clocks
        self.state = {n: v.state for n, v in case.clocks.items()}
        self.on, self.ops, self.done = on, [], {}  # done: clock -> op applied this outcome

    def is_(self, name: str, *states: str) -> bool:
        return self.state.get(name) in states and self.done.get(name) not in ("stop", "cancel")

    def counting(self, name: str, *states: str) -> bool:
        """In one of ``states`` now and within its limit on the outcome's legal date."""
        return self.is_(name, *states) and counting_on(self.views.get(name), self.on)

    def add(self, op: str, name: str, **kw: Any) -> None:
        if self.done.get(name) == op:
            return
        self.ops.append(ClockOp(op=op, clock=name, on=self.on, **kw))  # type: ignore[arg-type]
        self.done[name] = op


def _start_rule_day(clock: ClockDef, case: CaseView, legal: date) -> date:
    return case.received_on if clock.start_date == "received_at" else legal


def _ends(ops: _Ops, defn: Definition, t: TransitionDef, entered: str | None) -> None:
    for name, clock in defn.clocks.items():
        if entered in clock.stop_in and ops.is_(name, *ACTIVE):
            ops.add("stop", name, result="met")
        elif entered in clock.cancel_in and ops.is_(name, *ACTIVE):
            ops.add("cancel", name, result="cancelled")
    for op, result in (("stop", "met"), ("cancel", "cancelled")):
        for name in t.clock_ops.get(op, ()):
            if ops.is_(name, *ACTIVE):
                ops.add(op, name, result=result)
    if entered is not None and defn.is_final(entered):
        for name in sorted(ops.state):
            if ops.is_(name, *ACTIVE):
                ops.add("cancel", name, result="cancelled")


def _pauses(ops: _Ops, defn: Definition, t: TransitionDef, left: str | None, entered: str | None) -> None:
    # a pause needs a clock within its limit on the decision's date: one that had run out by then is not revived by it
    for name, clock in defn.clocks.items():
        if left in clock.pause_in and entered not in clock.pause_in and ops.is_(name, "paused"):
            ops.add("resume", name)
        elif entered in clock.pause_in and ops.counting(name, "running", "overdue"):
            ops.add("pause", name)
    for name in t.clock_ops.get("resume", ()):
        if ops.is_(name, "paused"):
            ops.add("resume", name)
    for name in t.clock_ops.get("pause", ()):
        if ops.counting(name, "running", "overdue"):
            ops.add("pause", name)


def _extensions(ops: _Ops, defn: Definition, t: TransitionDef, case: CaseView, typed: Mapping[str, Any]) -> None:
    for name in t.clock_ops.get("extend", ()):
        policy = defn.clocks[name].extensions
        days = typed.get("days") or (policy.days_max if policy else 0)
        ops.add("extend", name, extension=Extension(
            days=days, decided_on=ops.on, number=str(typed.get("decision_number", "")),
            reason=str(typed.get("reason", ""))))
    new_flags = t.set_flags - case.flags
    if not new_flags:
        return
    for name, view in case.clocks.items():  # a complexity found later lengthens a variant limit still running then
        clock = defn.clocks.get(name)
        if clock is None or not ops.counting(name, *ACTIVE) or ops.done.get(name) == "extend":
            continue
        before = clock.choose_rule(view.started_on, case.flags, case.remote_area, case.facts)
        after = clock.choose_rule(view.started_on, case.flags | new_flags, case.remote_area, case.facts)
        if after.days > before.days and after.unit == before.unit:
            number = typed.get("document_number") or typed.get("decision_number") or ""
            ops.add("extend", name, extension=Extension(
                days=after.days - before.days, decided_on=ops.on, number=str(number),
                reason=f"{after.label}; căn cứ: {after.basis}", variant=after.variant))


def _starts(ops: _Ops, defn: Definition, t: TransitionDef, case: CaseView, entered: str | None,
            facts: Mapping[str, Any]) -> None:
    names = [n for n, c in defn.clocks.items() if not c.information
             and ((entered is not None and c.start_on_enter == entered) or c.start_on_trigger == t.trigger)]
    names += [n for n in t.clock_ops.get("start", ()) if n not in names]
    flags = case.flags | t.set_flags
    for name in names:
        clock = defn.clocks[name]
        if not clock.starts_with(facts):  # e.g. a letter reclassified: the clock of its former content stops
            if ops.is_(name, *ACTIVE):
                ops.add("cancel", name, result="cancelled")
            continue
        if ops.is_(name, *ACTIVE):
            continue
        day = _start_rule_day(clock, case, ops.on)
        ops.ops.append(ClockOp(op="start", clock=name, on=day,
                               rule=clock.choose_rule(day, flags, case.remote_area, facts)))
        ops.done[name] = "start"


def clock_ops(defn: Definition, t: TransitionDef, case: CaseView, to_state: str, legal: date,
              typed: Mapping[str, Any], facts: Mapping[str, Any] | None = None) -> tuple[ClockOp, ...]:
    """The clock operations of ``t``; ``facts``: the case's facts after the action (default: before it)."""
    moved = t.dest is not None and to_state != case.state
    entered, left = (to_state, case.state) if moved else (None, None)
    ops = _Ops(case, legal)
    _ends(ops, defn, t, entered)
    _pauses(ops, defn, t, left, entered)
    _extensions(ops, defn, t, case, typed)
    _starts(ops, defn, t, case, entered, case.facts if facts is None else facts)
    return tuple(ops.ops)
