"""What an actor may do on a case now, and what happens when they do it.

``fire`` never changes anything: it checks the request against the definition and returns either a ``Rejection``
(its reason a message: a Vietnamese template and its values, which a page translates) or an ``Outcome`` that the
services apply (new state, clock operations, notifications, flags, facts). Checks run in a fixed order:
unknown_action, wrong_state, role, head_only, field, date, guard, limit.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Mapping

from dvflow.engine.calendar import local_date
from dvflow.engine.message import N_, Label, Msg, label_of, msg
from dvflow.engine.types import Actor, CaseView, NotificationIntent, Outcome, Rejection
from dvflow.engine.workflow.clock_ops import clock_ops, limit_check
from dvflow.engine.workflow.definition import Definition, FieldDef, TransitionDef
from dvflow.engine.workflow.effective import (
    EFFECTIVE_ON,
    action_fields,
    effective_reason_check,
)
from dvflow.engine.workflow.facts import apply_facts
from dvflow.engine.workflow.guards import run_guard
from dvflow.engine.workflow.machine import fire_machine

TRUE_WORDS = {"true", "1", "on", "yes", "có"}
FALSE_WORDS = {"false", "0", "off", "no", "không"}


@dataclass(frozen=True)
class ActionSpec:
    """An action offered on a case: enough to draw a button (disabled with ``reason`` when not allowed) and a form."""

    trigger: str
    label: str
    label_en: str
    dest: str | None
    dest_label: str
    head_only: bool
    fields: tuple[FieldDef, ...]
    basis: str
    allowed: bool
    reason_msg: Msg | None = None  # why not allowed, as its template and values (a page shows it in its language)
    code: str | None = None  # "guard" or "limit" when not allowed

    @property
    def reason(self) -> str | None:
        """Why not allowed, in Vietnamese (the API)."""
        return str(self.reason_msg) if self.reason_msg is not None else None


def _fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# --- payload -------------------------------------------------------------------------------------------------------

class FieldProblem(Exception):
    """A field's value that cannot be read; its one argument is the reason, a `Msg`."""


def _problem(template: str, f: FieldDef, **params: Any) -> FieldProblem:
    return FieldProblem(msg(template, label=label_of(f), **params))


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _to_date(f: FieldDef, value: Any) -> date:
    if isinstance(value, datetime):
        raise _problem(N_("%(label)s: phải là ngày, không kèm giờ"), f)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _problem(N_("%(label)s: ngày không hợp lệ (định dạng YYYY-MM-DD)"), f)


def _to_int(f: FieldDef, value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return int(value.strip())
    raise _problem(N_("%(label)s: phải là số nguyên"), f)


def _to_number(f: FieldDef, value: Any) -> int | float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            pass
        else:
            if number == number and number not in (float("inf"), float("-inf")):
                return int(number) if number.is_integer() else number
    raise _problem(N_("%(label)s: phải là số"), f)


def _to_bool(f: FieldDef, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    raise _problem(N_("%(label)s: phải là Có hoặc Không"), f)


def _to_choice(f: FieldDef, value: Any) -> str:
    keys = dict(f.choices)
    if isinstance(value, str) and value in keys:
        return value
    raise _problem(N_("%(label)s: giá trị không hợp lệ (chọn một trong: %(choices)s)"), f,
                   choices=", ".join(keys.values()))


def _to_text(f: FieldDef, value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    raise _problem(N_("%(label)s: phải là văn bản"), f)


CONVERTERS = {"string": _to_text, "text": _to_text, "date": _to_date, "integer": _to_int, "number": _to_number,
              "boolean": _to_bool, "choice": _to_choice}


def _typed(f: FieldDef, value: Any) -> Any:
    typed = CONVERTERS[f.type](f, value)
    if f.min is not None and typed < f.min:
        raise _problem(N_("%(label)s: không được nhỏ hơn %(limit)s"), f, limit=format(f.min, "g"))
    if f.max is not None and typed > f.max:
        raise _problem(N_("%(label)s: không được lớn hơn %(limit)s"), f, limit=format(f.max, "g"))
    return typed


def parse_payload(t: TransitionDef, payload: Mapping[str, Any]) -> dict[str, Any] | Rejection:
    """The typed payload of ``t``'s fields (``action_fields``; other keys are dropped), or a ``field`` rejection."""
    typed: dict[str, Any] = {}
    for f in action_fields(t):
        value = payload.get(f.name)
        if _missing(value):
            if f.required:
                return Rejection("field", msg(N_("Thiếu thông tin bắt buộc: %(label)s"), label=label_of(f)),
                                 field=f.name)
            continue
        try:
            typed[f.name] = _typed(f, value)
        except FieldProblem as problem:
            return Rejection("field", problem.args[0], field=f.name)
    return typed


def _legal_date(t: TransitionDef, typed: Mapping[str, Any], case: CaseView, today: date) -> date | Rejection:
    """The date the action took effect: its legal_date field, else the effective date given, else today."""
    name = t.legal_date_field or EFFECTIVE_ON
    if name not in typed:
        return today
    f = next(f for f in action_fields(t) if f.name == name)
    day = typed[name]
    if day > today:
        return Rejection("date", _in_future(f, day, today), field=name)
    if case.last_event_on is not None and day < case.last_event_on:
        return Rejection("date", msg(N_("%(label)s (%(date)s) không được trước ngày của sự việc gần nhất trong hồ sơ "
                                        "(%(last)s)"), label=label_of(f), date=_fmt(day),
                                     last=_fmt(case.last_event_on)), field=name)
    if name == EFFECTIVE_ON:
        return effective_reason_check(typed, day, today)
    return day


def _in_force(t: TransitionDef, typed: Mapping[str, Any], legal: date) -> Rejection | None:
    """A refusal when the action's legal date is before the rule behind it came into force (``effective_from``)."""
    if t.effective_from is None or legal >= t.effective_from:
        return None
    name = t.legal_date_field or EFFECTIVE_ON
    label = next((label_of(f) for f in action_fields(t) if f.name == name), msg(N_("Ngày thực hiện")))
    return Rejection("date", msg(N_("«%(action)s» chỉ áp dụng từ ngày %(since)s: %(label)s (%(date)s) trước ngày đó "
                                    "(%(basis)s)"), action=label_of(t), since=_fmt(t.effective_from), label=label,
                                 date=_fmt(legal), basis=t.basis), field=name)


def _event_dates(t: TransitionDef, typed: Mapping[str, Any], case: CaseView, today: date) -> Rejection | None:
    """A refusal for the date of something that happened in the case (an ``event_date`` field) after today or before
    the case's receipt, which no such event can bear."""
    for f in t.fields:
        day = typed.get(f.name) if f.event_date else None
        if day is None:
            continue
        if day > today:
            return Rejection("date", _in_future(f, day, today), field=f.name)
        if day < case.received_on:
            return Rejection("date", msg(N_("%(label)s (%(date)s) không được trước ngày tiếp nhận hồ sơ "
                                            "(%(received)s)"), label=label_of(f), date=_fmt(day),
                                         received=_fmt(case.received_on)), field=f.name)
    return None


def _in_future(f: FieldDef, day: date, today: date) -> Msg:
    return msg(N_("%(label)s (%(date)s) không được sau ngày hiện tại (%(today)s)"), label=label_of(f), date=_fmt(day),
               today=_fmt(today))


# --- checks --------------------------------------------------------------------------------------------------------

def _state_label(defn: Definition, state: str) -> str:
    return str(_state_name(defn, state))  # a Label's str() is its Vietnamese


def _state_name(defn: Definition, state: str) -> Label | str:
    s = defn.states.get(state)
    return label_of(s) if s else state


def _find(defn: Definition, case: CaseView, action: str) -> TransitionDef | Rejection:
    if not defn.transitions_for(action):
        return Rejection("unknown_action", msg(N_("Quy trình «%(workflow)s» không có thao tác «%(action)s»"),
                                               workflow=label_of(defn), action=action))
    t = defn.transition(action, case.state)
    if t is None:
        return Rejection("wrong_state", msg(N_("Không thể thực hiện «%(action)s» khi hồ sơ đang ở trạng thái "
                                               "«%(state)s»"), action=label_of(defn.transitions_for(action)[0]),
                                            state=_state_name(defn, case.state)))
    return t


def _actor_check(t: TransitionDef, actor: Actor) -> Rejection | None:
    if not (t.roles & actor.roles):
        return Rejection("role", msg(N_("Vai trò của bạn không được thực hiện «%(action)s»"), action=label_of(t)))
    if t.head_only and not actor.is_head:
        return Rejection("head_only", msg(N_("Chỉ thủ trưởng cơ quan, đơn vị mới được thực hiện «%(action)s»"),
                                          action=label_of(t)))
    return None


def _guard_check(t: TransitionDef, case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> Rejection | None:
    for name in t.guards:
        reason = run_guard(name, case, actor, payload)
        if reason:
            return Rejection("guard", reason)
    return None


# --- public entry points -------------------------------------------------------------------------------------------

def fire(defn: Definition, case: CaseView, action: str, actor: Actor, payload: Mapping[str, Any] | None,
         now: datetime) -> Outcome | Rejection:
    """Check ``action`` by ``actor`` on ``case`` at instant ``now``; the Outcome to apply or a Rejection."""
    today = local_date(now)
    t = _find(defn, case, action)
    if isinstance(t, Rejection):
        return t
    rejection = _actor_check(t, actor)
    if rejection:
        return rejection
    typed = parse_payload(t, payload or {})
    if isinstance(typed, Rejection):
        return typed
    legal = _legal_date(t, typed, case, today)
    if isinstance(legal, Rejection):
        return legal
    rejection = _in_force(t, typed, legal) or _event_dates(t, typed, case, today)
    if rejection:
        return rejection
    rejection = _guard_check(t, case, actor, typed) or limit_check(defn, t, case, typed, legal)
    if rejection:
        return rejection
    to_state = fire_machine(defn.machine, case.state, t.trigger)
    if to_state is None:  # the compiled machine disagrees with the index: treat as a refusal, never guess
        return Rejection("wrong_state", msg(N_("Không thể thực hiện «%(action)s» ở trạng thái hiện tại"),
                                            action=label_of(t)))
    params = {"action": t.trigger, "from_state": case.state, "to_state": to_state, "label": t.label}
    facts = apply_facts(case.facts, t.facts, typed, legal)
    return Outcome(
        action=t.trigger, from_state=case.state, to_state=to_state, status=defn.states[to_state].status,
        legal_date=legal, payload=typed, clock_ops=clock_ops(defn, t, case, to_state, legal, typed, facts),
        notifications=tuple(NotificationIntent(n.to, n.template, params) for n in t.notify),
        set_flags=t.set_flags | defn.confidential_flags(facts), basis=t.basis, label=t.label, facts=facts)


def available_actions(defn: Definition, case: CaseView, actor: Actor) -> list[ActionSpec]:
    """The actions ``actor`` may take on ``case`` now (state, role, head_only), each marked allowed or not by the
    guards and limits evaluated without a payload, with the reason when not."""
    out = []
    if case.state not in defn.states:
        return out
    for t in defn.transitions_from(case.state):
        if _actor_check(t, actor):
            continue
        rejection = _guard_check(t, case, actor, {}) or limit_check(defn, t, case, {})
        dest = t.dest or case.state
        out.append(ActionSpec(
            trigger=t.trigger, label=t.label, label_en=t.label_en, dest=t.dest, dest_label=_state_label(defn, dest),
            head_only=t.head_only, fields=action_fields(t), basis=t.basis, allowed=rejection is None,
            reason_msg=rejection.message if rejection else None, code=rejection.code if rejection else None))
    return out
