"""Property: random sequences of offered actions, by random actors, keep every case inside its definition.

The test plays a case through a shipped workflow: at each step it picks one of the actions ``available_actions``
offers a random actor, fills the form, fires, and applies the outcome to its own model of the case (state, flags,
clocks). It checks that an outcome never names a state the definition lacks, that only allowed actors get one, that
clock operations always fit the clock's current state, and that a final state offers nothing and accepts nothing.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dvflow.engine.types import Actor, CaseView, ClockView, Outcome
from dvflow.engine.workflow import available_actions, fire, initial_clock_ops, load_all

REG = load_all(Path(__file__).resolve().parents[2] / "workflows")
START = date(2026, 7, 1)
ROLES = ("reception", "handler", "head", "supervisor", "admin")
ALLOWED_BEFORE = {"start": (None, "met", "cancelled", "missed"), "stop": ("running", "paused", "overdue"),
                  "cancel": ("running", "paused", "overdue"), "pause": ("running",), "resume": ("paused",),
                  "extend": ("running", "paused")}
AFTER = {"start": "running", "pause": "paused", "resume": "running", "extend": None}

BOSS = Actor(1, frozenset({"reception", "handler", "head"}), is_head=True)
random_actors = st.builds(lambda roles, head: Actor(9, frozenset(roles), is_head=head),
                          st.sets(st.sampled_from(ROLES), min_size=1), st.booleans())
actors = st.one_of(st.just(BOSS), st.just(BOSS), st.just(BOSS), random_actors)  # mostly someone who can act
mostly_true = st.sampled_from([True, True, True, False])


def form(action: Any, today: date, draw: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {}
    for f in action.fields:
        if not f.required and draw(st.booleans()):
            continue
        if f.type == "date":
            ahead = 0 if f.legal_date or f.event_date else draw(st.integers(0, 20))  # an event date is never ahead
            payload[f.name] = today + timedelta(days=ahead)
        elif f.type in ("integer", "number"):
            payload[f.name] = draw(st.integers(int(f.min) if f.min is not None else 0, 40))
        elif f.type == "boolean":
            payload[f.name] = draw(st.booleans())
        elif f.type == "choice":
            payload[f.name] = draw(st.sampled_from([k for k, _ in f.choices]))
        else:
            payload[f.name] = draw(st.sampled_from(["Nội dung", "12/QĐ"]))
    return payload


def apply_clock_ops(clocks: dict[str, ClockView], outcome: Outcome) -> dict[str, ClockView]:
    clocks = dict(clocks)
    for op in outcome.clock_ops:
        before = clocks.get(op.clock)
        assert (before.state if before else None) in ALLOWED_BEFORE[op.op], (op, before)
        if op.op == "start":
            assert op.rule is not None and op.rule.days > 0
            clocks[op.clock] = ClockView(op.clock, "running", op.on)
        elif op.op in ("stop", "cancel"):
            clocks[op.clock] = replace(before, state=op.result)
        elif op.op == "extend":
            assert op.extension is not None and op.extension.days > 0
            clocks[op.clock] = replace(before, extensions=before.extensions + 1)
        else:
            clocks[op.clock] = replace(before, state=AFTER[op.op])
    return clocks


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), workflow_id=st.sampled_from(sorted(d.id for d in REG)))
def test_random_walks_stay_inside_the_definition(data: st.DataObject, workflow_id: str) -> None:
    defn = REG.get(workflow_id)
    facts = data.draw(st.fixed_dictionaries({
        "party_roles": st.one_of(st.just(["complainant", "denouncer", "petitioner", "accused"]),
                                 st.lists(st.sampled_from(["complainant", "denouncer", "petitioner"]), max_size=2)),
        "forward_count": st.sampled_from([0, 0, 1]), "competent": mostly_true, "approved": mostly_true,
        "dialogue_held": mostly_true, "verification_report_recorded": mostly_true, "published": mostly_true,
        "violation_signs": st.booleans(), "open_commitments": st.sampled_from([0, 0, 1]),
    }))
    flags = frozenset(data.draw(st.sets(st.sampled_from(["complex", "especially_complex", "mass"]))))
    case = CaseView(kind=defn.id, state=defn.initial, status=defn.states[defn.initial].status, received_on=START,
                    flags=flags, remote_area=data.draw(st.booleans()), facts=facts)
    case = replace(case, clocks=apply_clock_ops({}, Outcome("register", "", defn.initial, case.status, START, {},
                                                            initial_clock_ops(defn, case))))
    today = START
    for _ in range(data.draw(st.integers(1, 60))):
        today += timedelta(days=data.draw(st.integers(0, 6)))
        now = datetime.combine(today, time(3, 0), tzinfo=timezone.utc)
        actor = data.draw(actors)
        offered = available_actions(defn, case, actor)
        if defn.states[case.state].final:
            assert offered == []
            for trigger in defn.triggers:
                assert fire(defn, case, trigger, actor, {}, now).code == "wrong_state"
            return
        for action in offered:
            t = defn.transition(action.trigger, case.state)
            assert t is not None and t.roles & actor.roles and (actor.is_head or not t.head_only)
        allowed = [a for a in offered if a.allowed]
        if not allowed:
            continue
        # favour actions that keep the case open, so that walks go deep before they end
        weighted = [a for a in allowed for _ in range(1 if a.dest and defn.states[a.dest].final else 4)]
        action = data.draw(st.sampled_from(weighted))
        result = fire(defn, case, action.trigger, actor, form(action, today, data.draw), now)
        if not result.ok:
            assert result.code in ("field", "guard", "limit"), result
            continue
        assert result.to_state in defn.states
        assert result.to_state == (action.dest or case.state)
        assert result.status == defn.states[result.to_state].status
        assert result.legal_date == today
        clocks = apply_clock_ops(case.clocks, result)
        if defn.states[result.to_state].final:
            assert not any(c.state in ("running", "paused") for c in clocks.values())
        case = replace(case, state=result.to_state, status=result.status, flags=case.flags | result.set_flags,
                       clocks=clocks, last_event_on=result.legal_date)
