"""An overdue clock (open, marked missed by the scheduler) is ended like a running one and is never started again
beside itself; it can no longer be extended."""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from dvflow.engine.types import Actor, CaseView, ClockView
from dvflow.engine.workflow import fire, load_all

REG = load_all(Path(__file__).resolve().parents[2] / "workflows")
FU = REG.get("follow_up")
HEAD = Actor(1, frozenset({"head", "handler", "reception"}), is_head=True)
NOW = datetime(2026, 12, 7, 2, 0, tzinfo=timezone.utc)


def follow_up(state: str, clock_state: str) -> CaseView:
    return CaseView(kind=FU.id, state=state, status=FU.states[state].status, received_on=date(2026, 11, 23),
                    facts={"follow_up_days": 10}, clocks={"carry_out": ClockView("carry_out", clock_state,
                                                                                 date(2026, 11, 23))})


def test_an_overdue_clock_is_stopped_by_the_step_that_stops_a_running_one():
    for state in ("running", "overdue"):
        result = fire(FU, follow_up("assigned", state), "report", HEAD,
                      {"reported_on": date(2026, 12, 5), "result": "Đã trả lời"}, NOW)
        assert result.ok, result.text
        assert [(o.op, o.clock) for o in result.clock_ops if o.clock == "carry_out"] == [("stop", "carry_out")], state


def test_a_final_state_ends_an_overdue_clock():
    result = fire(FU, follow_up("assigned", "overdue"), "cancel", HEAD,
                  {"cancelled_on": date(2026, 12, 5), "reason": "Nhiệm vụ không còn cần thực hiện"}, NOW)
    assert result.ok, result.text
    assert [o.op for o in result.clock_ops if o.clock == "carry_out"] == ["cancel"]
