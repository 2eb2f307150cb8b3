"""Case facts are declared in the workflow files and computed by the engine: ``Outcome.facts``.

The facts used to be set by the services from the action's trigger name; the shipped workflows now declare the same
rules, and the first test replays the old name switch against every shipped transition to show nothing changed.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

import pytest

from dvflow.engine.types import Outcome
from dvflow.engine.workflow import compile_text, fire
from dvflow.engine.workflow.facts import OPS_BY_KIND, apply_facts
from dvflow.engine.workflow.guards import known_facts
from tests.engine.test_workflow_runtime import HANDLER, HEAD, KN, NOW, TODAY, case
from tests.engine.test_workflows_all import FACTS, IDS, REG, fire_from, fire_from_facts

# the facts the denunciation steps of issue #15 set (sending the conclusion, denouncer protection)
ISSUE_15_FACTS: dict[tuple[str, str], dict[str, bool]] = {
    ("denunciation", "send_conclusion"): {"conclusion_sent": True},
    ("denunciation", "notify_conclusion"): {"conclusion_notified": True},
    ("denunciation", "request_protection"): {"protection_requested": True},
    ("denunciation", "apply_protection"): {"protection_requested": False, "protection_active": True},
    ("denunciation", "refuse_protection"): {"protection_requested": False},
    **{("denunciation", a): {"protection_active": False} for a in ("end_protection", "conclude", "terminate",
                                                                    "hand_over")},
    # legal review 12/2026: an expert assessment's time (NĐ 31/2019 Art 15(4)), declared from the start
    ("denunciation", "request_assessment"): {"assessment_pending": True},
    ("denunciation", "receive_assessment"): {"assessment_pending": False},
    # documents review 12/2026: each notice of an acceptance sent once (NĐ 31/2019 Art 9(2)), declared from the start
    ("denunciation", "notify_acceptance"): {"acceptance_notified": True},
    ("denunciation", "notify_accused"): {"accused_notified": True},
}


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def conference_facts(facts: Mapping[str, Any], outcome: Outcome) -> dict[str, Any]:
    """The grassroots dialogue conference (the `dialogue` workflow since December 2026) declared its facts from the
    start: the planned date on plan and notice, the date held, the attendance and the Front's presence on hold."""
    new, payload = dict(facts), outcome.payload
    if outcome.action in ("plan", "send_notice") and payload.get("planned_on") is not None:
        new["planned_on"] = _iso(payload["planned_on"])
    if outcome.action == "hold":
        new["held_on"] = outcome.legal_date.isoformat()
        new.update({k: payload[k] for k in ("attendance_count", "front_present") if payload.get(k) is not None})
    return new


def legacy_facts(facts: Mapping[str, Any], outcome: Outcome, kind: str = "") -> dict[str, Any]:
    """The rules the services applied by trigger name before the workflows declared them (kept here as the
    reference the declarations must reproduce)."""
    if kind == "dialogue":
        return conference_facts(facts, outcome)
    new = dict(facts)
    action, payload = outcome.action, outcome.payload
    if action in ("forward", "forward_denunciation", "forward_tip"):  # forward_tip: declared from the start
        new["forward_count"] = int(new.get("forward_count", 0)) + 1
    elif action == "verification_report":
        new["verification_report_recorded"] = True
    elif action in ("record_minutes", "hold"):
        new["dialogue_held"] = True
    elif action in ("schedule_dialogue", "send_notice"):
        sent = payload.get("notice_sent_on") or outcome.legal_date
        new["notice_sent_on"] = sent.isoformat() if hasattr(sent, "isoformat") else str(sent)
        new["dialogue_held"] = False
    elif action == "approve":
        new["approved"] = True
    elif action in ("submit", "return", "draft_decision"):
        new["approved"] = False
    elif action == "publish":
        new["published"] = True
    elif action == "report_to_forwarder":  # legal audit 2026-12: declared from the start, no name switch
        new["forwarder_informed"] = True
    if action == "submit" and payload.get("result") is not None:  # documents review 12/2026: declared from the start
        new["result"] = payload["result"]
    if action == "record_minutes" and "attendance" in payload:
        new["attendance"] = payload["attendance"]
    if action == "verify" and "request_differs" in new | dict(outcome.facts):
        new["request_differs"] = False
    new.update(ISSUE_15_FACTS.get((kind, action), {}))
    if (kind, action) == ("follow_up", "send_back"):  # issue #17: the new time frame, declared from the start
        new["follow_up_days"] = payload["follow_up_days"]
    for key in ("content_type", "competent", "violation_signs", "withdrawal_coerced", "slander_suspected",
                "open_commitments", "forwarded_by_body", "request_differs", "instance", "penalty", "repeat_of"):
        if key in payload and payload[key] is not None:
            new[key] = payload[key]
    return new


@pytest.mark.parametrize("workflow_id", IDS)
def test_declared_facts_reproduce_the_former_name_switch(workflow_id: str) -> None:
    defn = REG.get(workflow_id)
    for t in defn.transitions:
        for state in sorted(t.sources):
            outcome, facts = fire_from_facts(defn, t, state)
            assert dict(outcome.facts) == legacy_facts(facts, outcome, workflow_id), (workflow_id, t.trigger, state)


def test_approve_then_submit_resets_approved() -> None:
    approved = fire(KN, case(state="submitted"), "approve", HEAD, {}, NOW)
    assert approved.facts["approved"] is True
    drafting = fire(KN, case(state="drafting", facts=dict(approved.facts)), "submit", HANDLER,
                    {"result": "right", "legal_basis": "Luật Đất đai", "disposition": "keep", "resolution": "Giữ nguyên"},
                    NOW)
    assert drafting.facts["approved"] is False
    returned = fire(KN, case(state="submitted", facts={"approved": True}), "return", HEAD, {"reason": "Sửa"}, NOW)
    assert returned.facts["approved"] is False


def test_facts_not_declared_by_the_transition_are_kept() -> None:
    before = {"forward_count": 1, "approved": True, "dialogue_held": True}
    out = fire(KN, case(state="received", facts=before), "accept", HEAD,
               {"decision_number": "1", "decision_date": "2026-07-22"}, NOW)
    assert {k: out.facts[k] for k in before} == before and out.facts["party_roles"] == case().facts["party_roles"]


def test_forward_counts_each_forwarding() -> None:
    tc = REG.get("denunciation")
    t = tc.transitions_for("forward")[0]
    once = fire_from(tc, t, sorted(t.sources)[0])
    assert once.facts["forward_count"] == FACTS["forward_count"] + 1
    assert apply_facts(once.facts, t.facts, {}, TODAY)["forward_count"] == FACTS["forward_count"] + 2


def test_dialogue_notice_then_minutes() -> None:
    notice = fire(KN, case(state="verified", facts={"dialogue_held": True}), "schedule_dialogue", HEAD,
                  {"notice_sent_on": "2026-08-01", "scheduled_on": "2026-08-10", "place": "Trụ sở",
                   "content": "Thu hồi đất"}, NOW)
    assert notice.ok, notice
    assert notice.facts["notice_sent_on"] == "2026-08-01" and notice.facts["dialogue_held"] is False
    t = KN.transitions_for("record_minutes")[0]
    assert apply_facts(notice.facts, t.facts, {}, TODAY)["dialogue_held"] is True


def test_classification_copies_its_fields_and_an_empty_field_leaves_the_fact() -> None:
    triage = REG.get("triage")
    t = triage.transitions_for("classify")[0]
    out = apply_facts({"competent": True}, t.facts, {"content_type": "petition", "competent": False}, TODAY)
    assert out["content_type"] == "petition" and out["competent"] is False
    assert apply_facts({"competent": True}, t.facts, {"content_type": "petition"}, TODAY)["competent"] is True


def test_copied_dates_are_stored_as_iso_text() -> None:
    assert apply_facts({}, {"notice_sent_on": "field"}, {"notice_sent_on": date(2026, 8, 1)}, TODAY) == {
        "notice_sent_on": "2026-08-01"}
    assert apply_facts({}, {"notice_sent_on": "legal_date"}, {}, TODAY) == {"notice_sent_on": TODAY.isoformat()}


def test_every_fact_a_guard_reads_is_known_with_a_kind() -> None:
    known = known_facts()
    assert known["party_roles"] == "list" and known["forward_count"] == "count"
    assert known["notice_sent_on"] == "date" and known["approved"] == "boolean"
    assert set(known.values()) <= set(OPS_BY_KIND)


def test_a_workflow_may_declare_and_set_its_own_fact() -> None:
    text = """\
id: tiny
label: "Nhỏ"
tracking_prefix: TN
facts: {meetings: count, last_meeting_on: date}
initial: received
states:
  received: {label: "Đã tiếp nhận", status: open}
  closed: {label: "Đã đóng", status: closed, final: true}
transitions:
  - trigger: meet
    label: "Họp"
    source: received
    roles: [handler]
    facts: {meetings: increment, last_meeting_on: legal_date}
    basis: "Luật Khiếu nại 2011, Điều 1"
  - trigger: close
    label: "Đóng"
    source: received
    dest: closed
    roles: [handler]
    basis: "Luật Khiếu nại 2011, Điều 1"
"""
    defn, errors = compile_text(text, "tiny.yaml")
    assert errors == [] and defn is not None
    out = fire(defn, case("tiny", facts={"meetings": 2}), "meet", HANDLER, {}, NOW)
    assert out.facts["meetings"] == 3 and out.facts["last_meeting_on"] == TODAY.isoformat()
