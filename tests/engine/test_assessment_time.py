"""Nghị định 31/2019/NĐ-CP, Điều 15 khoản 4 (in force 28/05/2019): "Thời gian giám định không tính vào thời hạn giải
quyết tố cáo". A denunciation accepted 01/09/2026 (30 days: 01/10/2026) whose expert assessment runs from 10/09 to
12/10/2026 must be resolved by 02/11/2026: 9 days used to 10/09, 21 counted again from 13/10."""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from dvflow.engine.calendar import WorkCalendar
from dvflow.engine.deadlines import compute_due
from dvflow.engine.types import Actor, CaseView, ClockView, Outcome, Pause, Rejection
from dvflow.engine.workflow import fire, load_all, render_rules

REG = load_all(Path(__file__).resolve().parents[2] / "workflows")
TC = REG.get("denunciation")
HEAD = Actor(1, frozenset({"head", "handler"}), is_head=True)
NOW = datetime(2026, 10, 20, 2, tzinfo=timezone.utc)
ACCEPTED = date(2026, 9, 1)
REQUEST = {"document_number": "9/TCGĐ", "requested_on": "2026-09-10", "assessor": "Sở Xây dựng"}


def case(state: str = "verifying", clock: str = "running", facts: dict | None = None,
         last: date = date(2026, 9, 5)) -> CaseView:
    return CaseView(kind=TC.id, state=state, status="open", received_on=date(2026, 8, 25), last_event_on=last,
                    facts={"party_roles": ["denouncer"], **(facts or {})},
                    clocks={"resolve": ClockView("resolve", clock, ACCEPTED,
                                                 due_on=None if clock == "paused" else date(2026, 10, 1))})


def resolve_ops(o: Outcome) -> list[tuple[str, date]]:
    return [(x.op, x.on) for x in o.clock_ops if x.clock == "resolve"]


def test_the_assessment_time_is_not_counted_in_the_resolution_limit():
    started = fire(TC, case(), "request_assessment", HEAD, REQUEST, NOW)
    assert isinstance(started, Outcome), started
    assert resolve_ops(started) == [("pause", date(2026, 9, 10))]
    assert started.facts["assessment_pending"] is True and "Điều 15 khoản" in started.basis
    ended = fire(TC, case(clock="paused", facts=started.facts, last=date(2026, 9, 10)), "receive_assessment", HEAD,
                 {"received_on": "2026-10-12", "conclusion_number": "15/KLGĐ"}, NOW)
    assert isinstance(ended, Outcome), ended
    assert resolve_ops(ended) == [("resume", date(2026, 10, 12))] and ended.facts["assessment_pending"] is False
    rule = TC.clocks["resolve"].choose_rule(ACCEPTED, frozenset(), False)
    assert compute_due(rule, ACCEPTED, WorkCalendar()).due_date == date(2026, 10, 1)
    assert compute_due(rule, ACCEPTED, WorkCalendar(), [Pause(date(2026, 9, 10), date(2026, 10, 12))]).due_date \
        == date(2026, 11, 2)


def test_an_assessment_requested_after_the_due_date_stops_nothing():
    late = fire(TC, case(clock="overdue"), "request_assessment", HEAD, {**REQUEST, "requested_on": "2026-10-05"}, NOW)
    assert isinstance(late, Outcome) and resolve_ops(late) == []


@pytest.mark.parametrize("action, payload", [
    ("request_assessment", REQUEST),
    ("draft_decision", {}),
    ("suspend", {"decision_number": "4/QĐ", "decision_date": "2026-09-15", "ground": "awaiting_other_body"}),
])
def test_while_an_assessment_is_pending_no_second_one_no_conclusion_no_suspension(action, payload):
    state = "verified" if action == "draft_decision" else "verifying"
    facts = {"assessment_pending": True, "verification_report_recorded": True}
    refused = fire(TC, case(state, "paused", facts, last=date(2026, 9, 10)), action, HEAD, payload, NOW)
    assert isinstance(refused, Rejection) and refused.code == "guard", refused
    assert "giám định" in refused.text


def test_a_conclusion_is_received_only_for_a_pending_assessment():
    refused = fire(TC, case(), "receive_assessment", HEAD, {"received_on": "2026-10-12"}, NOW)
    assert isinstance(refused, Rejection) and refused.code == "guard"


def test_an_assessment_before_the_decree_took_effect_is_refused():
    old = CaseView(kind=TC.id, state="verifying", status="open", received_on=date(2019, 3, 1),
                   last_event_on=date(2019, 3, 5), facts={"party_roles": ["denouncer"]})
    refused = fire(TC, old, "request_assessment", HEAD, {**REQUEST, "requested_on": "2019-05-27"}, NOW)
    assert isinstance(refused, Rejection) and refused.code == "date" and "28/05/2019" in refused.text


def test_the_rules_table_says_the_assessment_pauses_the_resolution_limit():
    table = render_rules([TC])
    assert "tạm dừng từ hành động «Trưng cầu giám định» đến hành động «Nhận kết luận giám định»" in table
