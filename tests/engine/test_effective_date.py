"""Every action carries the date it took effect (issue #13, item 4): `effective_on`, default today, earlier with a
reason, never in the future nor before the case's last legal date; a transition's own legal_date field is that date."""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from dvflow.engine.types import Actor, CaseView, ClockView, Outcome
from dvflow.engine.workflow import (
    EFFECTIVE_FIELDS,
    action_fields,
    available_actions,
    fire,
    load_all,
    load_text,
)
from dvflow.engine.workflow.registry import WorkflowLoadFailed

REG = load_all(Path(__file__).resolve().parents[2] / "workflows")
KN, TC = REG.get("complaint_first"), REG.get("denunciation")
NOW = datetime(2026, 8, 3, 2, 0, tzinfo=timezone.utc)  # 03/08/2026 09:00 in Hanoi
HEAD = Actor(1, frozenset({"head"}), is_head=True)
HANDLER = Actor(2, frozenset({"handler"}))
FACTS = {"party_roles": ["complainant", "denouncer"]}
VERIFY = {"verifier": "Tổ xác minh số 1"}
LATE = "Nhập muộn: quyết định giao xác minh ký ngày 25/07"


def case(kind: str = "complaint_first", state: str = "accepted", last: date | None = date(2026, 7, 22),
         clocks: dict | None = None) -> CaseView:
    return CaseView(kind=kind, state=state, status="open", received_on=date(2026, 7, 20), last_event_on=last,
                    clocks=clocks or {}, facts=FACTS)


def test_the_issue_example_undated_action_keeps_its_real_date_and_a_later_report_is_accepted() -> None:
    verify = fire(KN, case(), "verify", HEAD, {**VERIFY, "effective_on": "2026-07-25", "effective_reason": LATE}, NOW)
    assert isinstance(verify, Outcome) and verify.legal_date == date(2026, 7, 25)
    assert verify.payload["effective_on"] == date(2026, 7, 25) and verify.payload["effective_reason"] == LATE
    report = {"report_date": "2026-07-28", "summary": "Đúng một phần"}
    after = fire(KN, case(state="verifying", last=verify.legal_date), "verification_report", HANDLER, report, NOW)
    assert isinstance(after, Outcome) and after.legal_date == date(2026, 7, 28)
    # what happened before: dated the day of entry, the same report is refused
    today = fire(KN, case(), "verify", HEAD, VERIFY, NOW)
    assert today.legal_date == date(2026, 8, 3)
    refused = fire(KN, case(state="verifying", last=today.legal_date), "verification_report", HANDLER, report, NOW)
    assert refused.code == "date" and refused.field == "report_date"


def test_today_needs_no_reason_and_an_empty_date_is_today() -> None:
    assert fire(KN, case(), "verify", HEAD, {**VERIFY, "effective_on": "2026-08-03"}, NOW).legal_date == date(2026, 8, 3)
    assert fire(KN, case(), "verify", HEAD, {**VERIFY, "effective_on": ""}, NOW).legal_date == date(2026, 8, 3)


@pytest.mark.parametrize("reason", [None, "", "   ", "abc"])
def test_an_earlier_date_needs_a_reason(reason) -> None:
    payload = {**VERIFY, "effective_on": "2026-07-25"}
    if reason is not None:
        payload["effective_reason"] = reason
    r = fire(KN, case(), "verify", HEAD, payload, NOW)
    assert r.code == "date" and r.field == "effective_reason" and "Lý do" in r.text and "25/07/2026" in r.text


def test_never_in_the_future_nor_before_the_last_legal_date() -> None:
    r = fire(KN, case(), "verify", HEAD, {**VERIFY, "effective_on": "2026-08-04"}, NOW)
    assert r.code == "date" and r.field == "effective_on" and "04/08/2026" in r.text
    r = fire(KN, case(), "verify", HEAD, {**VERIFY, "effective_on": "2026-07-21", "effective_reason": LATE}, NOW)
    assert r.code == "date" and r.field == "effective_on" and "22/07/2026" in r.text
    r = fire(KN, case(), "verify", HEAD, {**VERIFY, "effective_on": "25/07/2026", "effective_reason": LATE}, NOW)
    assert r.code == "field" and r.field == "effective_on"


def test_a_reason_too_long_is_refused() -> None:
    r = fire(KN, case(), "verify", HEAD, {**VERIFY, "effective_on": "2026-07-25", "effective_reason": "x" * 501}, NOW)
    assert r.code == "field" and r.field == "effective_reason"


def test_an_action_with_its_own_legal_date_is_not_asked_twice() -> None:
    accept = KN.transition("accept", "received")
    assert [f.name for f in action_fields(accept)] == ["decision_number", "decision_date", "forwarded_by_body"]
    o = fire(KN, case(state="received", last=date(2026, 7, 20)), "accept", HEAD,
             {"decision_number": "1", "decision_date": "2026-07-22", "effective_on": "2026-07-21"}, NOW)
    assert o.legal_date == date(2026, 7, 22) and "effective_on" not in o.payload


def test_the_offered_actions_carry_the_effective_date_field() -> None:
    specs = {a.trigger: a for a in available_actions(KN, case(), HEAD)}
    assert [f.name for f in specs["verify"].fields][-2:] == ["effective_on", "effective_reason"]
    assert specs["verify"].fields[-2].type == "date" and not specs["verify"].fields[-2].required
    received = {a.trigger: a for a in available_actions(KN, case(state="received"), HEAD)}
    assert not {"effective_on", "effective_reason"} & {f.name for f in received["accept"].fields}


def test_clock_operations_take_the_effective_date() -> None:
    clocks = {"initial": ClockView("initial", "running", date(2026, 7, 20))}
    o = fire(TC, case("denunciation", "received", clocks=clocks), "mark_not_competent", HANDLER,
             {"effective_on": "2026-07-24", "effective_reason": LATE}, NOW)
    assert o.legal_date == date(2026, 7, 24)
    stop = next(op for op in o.clock_ops if op.clock == "initial")
    assert stop.op in ("stop", "cancel") and stop.on == date(2026, 7, 24)


def test_facts_of_an_undated_action_take_the_effective_date() -> None:
    text = KN.source_text.replace("    facts: {approved: true}\n", "    facts: {approved: true, approved_on: legal_date}\n",
                                  1).replace("\nid: complaint_first\n", "\nid: complaint_first\nfacts: {approved_on: date}\n", 1)
    assert "approved_on: legal_date" in text
    defn = load_text(text, "complaint_first@facts")
    o = fire(defn, case(state="submitted"), "approve", HEAD, {"effective_on": "2026-07-30", "effective_reason": LATE},
             NOW)
    assert o.facts["approved_on"] == "2026-07-30"


def test_a_workflow_may_not_declare_the_effective_fields() -> None:
    for f in EFFECTIVE_FIELDS:
        text = KN.source_text.replace("      verifier: {", f"      {f.name}: {{type: text, required: false, "
                                                           f"label: \"x\"}}\n      verifier: {{", 1)
        with pytest.raises(WorkflowLoadFailed) as failed:
            load_text(text, "complaint_first@reserved")
        assert any("reserved" in str(e) for e in failed.value.errors)
