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


#: the rest of what a draft decision says when it is submitted (LKN Art 31(2)(e), (h))
DRAFT = {"legal_basis": "Luật Đất đai 2024, Điều 81", "disposition": "keep", "resolution": "Giữ nguyên"}


def _view(state: str, facts: dict) -> CaseView:
    return CaseView(kind=KN.id, state=state, status="open", received_on=date(2026, 11, 20),
                    last_event_on=date(2026, 11, 27), facts=facts)


def issue(result: str, facts: dict, issued: str | None = None) -> Outcome | Rejection:
    """accepted -> drafting -> submitted (the draft finding ``result``) -> approved, then the decision with
    ``issued`` (by default the same result); the first refusal on the way."""
    state, facts = "accepted", {"party_roles": ["complainant"], **facts}
    for action, payload in (("draft_decision", {}), ("submit", {**DRAFT, "result": result}), ("approve", {})):
        o = fire(KN, _view(state, facts), action, HEAD, payload, NOW)
        if not isinstance(o, Outcome):
            return o
        state, facts = o.to_state, dict(o.facts)
    return fire(KN, _view(state, facts), "issue_decision", HEAD,
                {"decision_number": "1/QĐ", "decision_date": "2026-12-04", "result": issued or result}, NOW)


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


def test_the_decision_issued_is_the_draft_approved():
    """The head approved a draft finding the complaint wrong: a decision finding it partly right is refused."""
    refused = issue("wrong", {"verification_report_recorded": True}, issued="partly_right")
    assert isinstance(refused, Rejection) and refused.code == "guard"
    assert "như dự thảo đã được phê duyệt" in refused.text


def test_a_draft_of_an_earlier_version_without_a_result_may_be_issued():
    """A draft submitted before the result was drafted records none: the head gives it at issue, as before."""
    o = fire(KN, _view("approved", {"party_roles": ["complainant"], "approved": True}), "issue_decision", HEAD,
             {"decision_number": "1/QĐ", "decision_date": "2026-12-04", "result": "right"}, NOW)
    assert isinstance(o, Outcome) and o.to_state == "decided"
