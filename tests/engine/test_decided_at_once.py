"""Luật Khiếu nại 2011, Điều 29 khoản 1: the first-instance resolver decides at once only when the complaint is right
("nếu khiếu nại đúng thì ra quyết định giải quyết ngay", point a); a complaint found wrong or partly right is
verified first (point b), its report recorded, before the decision is issued."""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from dvflow.engine.types import Actor, CaseView, Outcome, Rejection
from dvflow.engine.workflow import fire, load_all

KN = load_all(Path(__file__).resolve().parents[2] / "workflows").get("complaint_first")
HEAD = Actor(1, frozenset({"head", "handler"}), is_head=True)
NOW = datetime(2026, 12, 6, 2, tzinfo=timezone.utc)


def issue(result: str, facts: dict) -> Outcome | Rejection:
    """accepted -> drafting -> submitted -> approved, then the decision with ``result``."""
    state, facts = "accepted", {"party_roles": ["complainant"], **facts}
    for action in ("draft_decision", "submit", "approve"):
        o = fire(KN, CaseView(kind=KN.id, state=state, status="open", received_on=date(2026, 11, 20),
                              last_event_on=date(2026, 11, 27), facts=facts), action, HEAD, {}, NOW)
        assert isinstance(o, Outcome), (action, o)
        state, facts = o.to_state, dict(o.facts)
    return fire(KN, CaseView(kind=KN.id, state=state, status="open", received_on=date(2026, 11, 20),
                             last_event_on=date(2026, 11, 27), facts=facts), "issue_decision", HEAD,
                {"decision_number": "1/QĐ", "decision_date": "2026-12-04", "result": result}, NOW)


@pytest.mark.parametrize("result", ["wrong", "partly_right"])
def test_a_complaint_found_wrong_without_verification_is_not_decided(result):
    refused = issue(result, {})
    assert isinstance(refused, Rejection) and refused.code == "guard"
    assert "Điều 29 khoản 1" in refused.text


def test_a_complaint_found_right_is_decided_at_once():
    o = issue("right", {})
    assert isinstance(o, Outcome) and o.to_state == "decided"


@pytest.mark.parametrize("result", ["wrong", "partly_right"])
def test_a_verified_complaint_may_be_found_wrong(result):
    o = issue(result, {"verification_report_recorded": True})
    assert isinstance(o, Outcome) and o.payload["result"] == result
