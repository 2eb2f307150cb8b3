"""The denunciation rules of issue #15 (audit 2026-12: W8, Missing 2, 3, 5, 6, 9, 11), pure engine.

Each clock is fired through the runtime and its due date computed with the real calendar. Weekdays and holidays
checked by hand: the National Day holiday 2026 is Mon 31/08, Tue 01/09 and Wed 02/09; Sat 29/08, Sun 30/08,
Sat 05/09 and Sun 06/09 are weekend days. So from Wed 26/08 the working days are Thu 27 (1), Fri 28 (2),
Thu 03/09 (3), Fri 04 (4), Mon 07 (5), Tue 08 (6), Wed 09 (7).
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from dvflow.engine.calendar import WorkCalendar
from dvflow.engine.deadlines import compute_due
from dvflow.engine.types import Actor, CaseView, ClockView, Outcome, Rejection
from dvflow.engine.workflow import fire, load_all

REG = load_all(Path(__file__).resolve().parents[2] / "workflows")
TC = REG.get("denunciation")
PE = REG.get("petition")
NOW = datetime(2026, 9, 10, 3, 0, tzinfo=timezone.utc)
HEAD = Actor(1, frozenset({"head"}), is_head=True)
HANDLER = Actor(2, frozenset({"handler"}))
RECEPTION = Actor(3, frozenset({"reception"}))
PARTIES = {"party_roles": ["denouncer", "accused"]}


def tc(state: str, *, received: date = date(2026, 8, 11), clocks: tuple[str, ...] = (), **facts: Any) -> CaseView:
    return CaseView(kind="denunciation", state=state, status=TC.states[state].status, received_on=received,
                    clocks={n: ClockView(n, "running", date(2026, 8, 13)) for n in clocks},
                    facts={**PARTIES, **facts})


def ok(result: Outcome | Rejection) -> Outcome:
    assert isinstance(result, Outcome), result
    return result


def ops(outcome: Outcome) -> list[tuple[str, str]]:
    return [(o.op, o.clock) for o in outcome.clock_ops]


def due(outcome: Outcome, clock: str) -> date:
    """The due date of the clock the outcome starts, with the real calendar."""
    op = next(o for o in outcome.clock_ops if o.op == "start" and o.clock == clock)
    return compute_due(op.rule, op.on, WorkCalendar()).due_date


CONCLUDE = {"conclusion_number": "5/KL", "result": "correct"}


# --- W8: forwarding is the head's decision, and the denouncer is told -----------------------------------------------

def test_forwarding_is_the_heads_decision_with_the_denouncer_told() -> None:
    payload = {"to_body": "UBND tỉnh", "forwarded_on": "2026-08-14", "denouncer_notified_on": "2026-08-14"}
    assert fire(TC, tc("not_competent"), "forward", HANDLER, payload, NOW).code == "role"
    missing = fire(TC, tc("not_competent"), "forward", HEAD, {**payload, "denouncer_notified_on": ""}, NOW)
    assert (missing.code, missing.field) == ("field", "denouncer_notified_on")
    done = ok(fire(TC, tc("not_competent", clocks=("forward",)), "forward", HEAD, payload, NOW))
    assert done.to_state == "forwarded" and ("stop", "forward") in ops(done)
    assert "Thông tư 05/2021/TT-TTCP, Điều 14 khoản 1" in done.basis and "Điều 24 khoản 2" in done.basis


# --- Missing 2: the conclusion sent to the accused and the denouncer told within 5 working days (LTC 35(3)) ---------

def test_conclusion_sending_clocks_run_5_working_days_across_the_national_day() -> None:
    o = ok(fire(TC, tc("approved", approved=True), "conclude", HEAD, {**CONCLUDE, "conclusion_date": "2026-08-27"},
                NOW))
    # Thu 27/08: Fri 28 (1), holiday 31/08-02/09, Thu 03 (2), Fri 04 (3), Mon 07 (4), Tue 08/09 (5)
    assert due(o, "send_conclusion") == due(o, "notify_conclusion") == date(2026, 9, 8)
    sent = ok(fire(TC, tc("concluded", clocks=("send_conclusion", "notify_conclusion")), "send_conclusion", HANDLER,
                   {"sent_on": "2026-09-03", "recipients": "Ông B; Sở X"}, NOW))
    assert ops(sent) == [("stop", "send_conclusion")] and sent.facts["conclusion_sent"] is True
    told = ok(fire(TC, tc("acted", clocks=("notify_conclusion",)), "notify_conclusion", HANDLER,
                   {"sent_on": "2026-09-04"}, NOW))
    assert ops(told) == [("stop", "notify_conclusion")] and told.facts["conclusion_notified"] is True


def test_close_needs_the_conclusion_sent_and_the_denouncer_told() -> None:
    r = fire(TC, tc("acted", published=True, conclusion_sent=True), "close", HANDLER, {}, NOW)
    assert r.code == "guard"
    assert r.text == "Chưa thông báo kết luận cho người tố cáo (Luật Tố cáo 2018, Điều 35 khoản 3)"
    done = fire(TC, tc("acted", published=True, conclusion_sent=True, conclusion_notified=True), "close", HANDLER,
                {}, NOW)
    assert ok(done).to_state == "closed"


# --- Missing 3: suspension, termination and continuation decisions sent within 5 working days (LTC 34(4)) ----------

def test_suspension_decision_is_sent_within_5_working_days() -> None:
    o = ok(fire(TC, tc("verifying", clocks=("resolve",)), "suspend", HEAD,
                {"decision_number": "3/QĐ", "decision_date": "2026-08-28", "ground": "awaiting_other_body"}, NOW))
    # Fri 28/08: holiday and weekend until Wed 02/09; Thu 03 (1), Fri 04 (2), Mon 07 (3), Tue 08 (4), Wed 09 (5)
    assert due(o, "deliver_suspension") == date(2026, 9, 9) and ("pause", "resolve") in ops(o)
    sent = ok(fire(TC, tc("suspended", clocks=("deliver_suspension",)), "send_suspension_decision", HANDLER,
                   {"sent_on": "2026-09-03"}, NOW))
    assert ops(sent) == [("stop", "deliver_suspension")] and sent.to_state == "suspended"


def test_termination_waits_for_its_decision_to_be_sent() -> None:
    o = ok(fire(TC, tc("verifying", clocks=("resolve", "notify_acceptance")), "terminate", HEAD,
                {"decision_number": "4/QĐ", "decision_date": "2026-08-26", "ground": "accused_died"}, NOW))
    assert (o.to_state, o.status) == ("termination_decided", "open")
    assert ("cancel", "resolve") in ops(o) and ("cancel", "notify_acceptance") in ops(o)
    assert due(o, "deliver_termination") == date(2026, 9, 7)  # Wed 26/08 + 5 wd (see the module docstring)
    sent = ok(fire(TC, tc("termination_decided", clocks=("deliver_termination",)), "send_termination_decision",
                   HANDLER, {"sent_on": "2026-09-01"}, NOW))
    assert (sent.to_state, sent.status) == ("terminated", "closed") and ops(sent) == [("stop", "deliver_termination")]


def test_continuation_decision_is_sent_within_5_working_days_under_review() -> None:
    o = ok(fire(TC, tc("suspended"), "resume", HEAD, {"decision_date": "2026-08-24"}, NOW))
    # Mon 24/08: Tue 25 (1), Wed 26 (2), Thu 27 (3), Fri 28 (4), holiday, Thu 03/09 (5)
    assert due(o, "deliver_resumption") == date(2026, 9, 3)
    assert TC.clocks["deliver_resumption"].review and "Điều 34 khoản 4" in TC.clocks["deliver_resumption"].review
    sent = ok(fire(TC, tc("accepted", clocks=("deliver_resumption",)), "send_resumption_decision", HANDLER,
                   {"sent_on": "2026-08-26"}, NOW))
    assert ops(sent) == [("stop", "deliver_resumption")]


# --- Missing 5: replies to forwarding bodies (LTC 26(2); LTCD 27(2)) -----------------------------------------------

FORWARDER = {"forwarder": "Báo Nhân Dân", "effective_on": "2026-08-12", "effective_reason": "Nhập muộn"}


def test_press_forwarded_denunciation_is_answered_within_20_days_of_receipt() -> None:
    o = ok(fire(TC, tc("received"), "record_forwarding_body", RECEPTION,
                {**FORWARDER, "forwarded_by_body": "press_or_authority"}, NOW))
    assert o.facts["forwarded_by_body"] == "press_or_authority" and ops(o) == [("start", "forwarder_reply")]
    # from receipt Tue 11/08 + 20 days = Mon 31/08, a holiday, as are 01 and 02/09: Thu 03/09
    assert due(o, "forwarder_reply") == date(2026, 9, 3)
    done = ok(fire(TC, tc("accepted", clocks=("forwarder_reply",)), "notify_forwarder", HANDLER,
                   {"sent_on": "2026-08-20"}, NOW))
    assert ops(done) == [("stop", "forwarder_reply")] and done.to_state == "accepted"


def test_national_assembly_forwarder_gets_the_result_7_working_days_after_resolution() -> None:
    recorded = ok(fire(TC, tc("received"), "record_forwarding_body", RECEPTION,
                       {**FORWARDER, "forwarded_by_body": "national_assembly"}, NOW))
    assert ops(recorded) == []  # nothing runs until the case is resolved
    facts = {"approved": True, "forwarded_by_body": "national_assembly"}
    o = ok(fire(TC, tc("approved", **facts), "conclude", HEAD, {**CONCLUDE, "conclusion_date": "2026-08-25"}, NOW))
    # Tue 25/08: Wed 26 (1), Thu 27 (2), Fri 28 (3), holiday, Thu 03/09 (4), Fri 04 (5), Mon 07 (6), Tue 08 (7)
    assert due(o, "forwarder_report") == date(2026, 9, 8)
    press = ok(fire(TC, tc("approved", approved=True, forwarded_by_body="press_or_authority"), "conclude", HEAD,
                    {**CONCLUDE, "conclusion_date": "2026-08-25"}, NOW))
    assert "forwarder_report" not in {c for _, c in ops(press)}
    done = ok(fire(TC, tc("concluded", clocks=("forwarder_report",)), "notify_forwarder", HANDLER,
                   {"sent_on": "2026-09-07"}, NOW))
    assert ops(done) == [("stop", "forwarder_report")]


def test_petitions_have_no_forwarder_clock_and_a_review_note_on_resolution() -> None:
    assert not any("forward" in name for name in PE.clocks)
    issue = PE.transitions_for("issue_decision")[0]
    assert issue.review and "10 ngày làm việc" in issue.review


# --- Missing 6: the superior's duties (LTC 37, 38; NĐ 31 Art 5(3)) -------------------------------------------------

def test_repeated_denunciation_is_reviewed_within_20_days() -> None:
    o = ok(fire(TC, tc("received", clocks=("initial",)), "record_repeat", HANDLER,
                {"repeat_of": "resolved", "earlier_case": "TC-2026-000001, UBND xã A", "effective_on": "2026-08-12",
                 "effective_reason": "Nhập muộn"}, NOW))
    assert ops(o) == [("cancel", "initial"), ("start", "review_repeat")]
    assert due(o, "review_repeat") == date(2026, 9, 3)  # Tue 11/08 + 20 = Mon 31/08, holiday to 02/09: Thu 03/09
    refused = ok(fire(TC, tc("received", clocks=("review_repeat",), repeat_of="resolved"), "refuse", HEAD,
                      {"decision_date": "2026-08-28", "ground": "prior_resolution_correct"}, NOW))
    assert ("stop", "review_repeat") in ops(refused)
    retaken = ok(fire(TC, tc("received", clocks=("review_repeat",), repeat_of="resolved"), "accept", HEAD,
                      {"decision_number": "9/QĐ", "decision_date": "2026-08-28"}, NOW))
    assert ("stop", "review_repeat") in ops(retaken) and ("start", "resolve") in ops(retaken)


def test_overdue_case_report_demanded_in_5_working_days_and_due_5_working_days_later() -> None:
    o = ok(fire(TC, tc("received", received=date(2026, 8, 26), clocks=("initial",)), "record_repeat", HANDLER,
                {"repeat_of": "overdue", "earlier_case": "UBND xã A"}, NOW))
    assert ops(o) == [("cancel", "initial"), ("start", "demand_report")]
    assert due(o, "demand_report") == date(2026, 9, 7)  # Wed 26/08 + 5 wd
    demanded = ok(fire(TC, tc("received", clocks=("demand_report",), repeat_of="overdue"), "demand_report", HEAD,
                       {"document_number": "15/CV", "demanded_on": "2026-08-27"}, NOW))
    assert ops(demanded) == [("stop", "demand_report"), ("start", "subordinate_report")]
    # Thu 27/08: Fri 28 (1), holiday, Thu 03/09 (2), Fri 04 (3), Mon 07 (4), Tue 08 (5)
    assert due(demanded, "subordinate_report") == date(2026, 9, 8)
    assert fire(TC, tc("received"), "demand_report", HANDLER, {"document_number": "1", "demanded_on": "2026-08-27"},
                NOW).code == "role"
    report = ok(fire(TC, tc("received", clocks=("subordinate_report",)), "record_subordinate_report", HANDLER,
                     {"report_date": "2026-09-04", "summary": "Chậm do chờ giám định"}, NOW))
    assert ops(report) == [("stop", "subordinate_report")]


def test_takeover_restarts_the_time_limit_at_the_superior_and_closes_the_subordinates_case() -> None:
    # the superior accepts (takes over): the resolution limit counts from its own acceptance decision
    o = ok(fire(TC, tc("received", repeat_of="overdue"), "accept", HEAD,
                {"decision_number": "20/QĐ", "decision_date": "2026-09-04"}, NOW))
    start = next(op for op in o.clock_ops if op.clock == "resolve")
    assert start.on == date(2026, 9, 4) and due(o, "resolve") == date(2026, 10, 5)  # Fri 04/09 + 30 = Sun 04/10
    handed = ok(fire(TC, tc("verifying", clocks=("resolve",)), "hand_over", HEAD,
                     {"demand_number": "15/CV", "handed_over_on": "2026-09-04", "superior": "UBND tỉnh"}, NOW))
    assert (handed.to_state, handed.status) == ("taken_over", "closed") and ("cancel", "resolve") in ops(handed)
    assert "Nghị định 31/2019/NĐ-CP, Điều 5 khoản 3" in handed.basis


# --- Missing 9: denouncer protection, and identity removed before verification (LTC 47, 50-54, 56) ----------------

def test_protection_request_decision_and_end() -> None:
    req = ok(fire(TC, tc("verifying"), "request_protection", RECEPTION,
                  {"requested_on": "2026-08-20", "protected_person": "Người tố cáo", "scope": "job",
                   "grounds": "Bị đe dọa điều chuyển công tác"}, NOW))
    assert req.facts["protection_requested"] is True and req.to_state == "verifying"
    assert fire(TC, tc("verifying"), "apply_protection", HANDLER, {}, NOW).code == "role"
    applied = ok(fire(TC, tc("verifying", protection_requested=True), "apply_protection", HEAD,
                      {"decision_number": "7/QĐ", "decision_date": "2026-08-21", "how": "applied",
                       "measures": "Giữ nguyên vị trí công tác"}, NOW))
    assert (applied.facts["protection_requested"], applied.facts["protection_active"]) == (False, True)
    refused = ok(fire(TC, tc("verifying", protection_requested=True), "refuse_protection", HEAD,
                      {"decision_date": "2026-08-21", "reason": "Không có căn cứ"}, NOW))
    assert refused.facts["protection_requested"] is False and "protection_active" not in refused.facts
    ended = ok(fire(TC, tc("verifying", protection_active=True), "end_protection", HEAD,
                    {"decision_number": "8/QĐ", "decision_date": "2026-08-25", "ground": "on_request"}, NOW))
    assert ended.facts["protection_active"] is False
    # the conclusion ends it as well (LTC Art 54(2)(a))
    concluded = ok(fire(TC, tc("approved", approved=True, protection_active=True), "conclude", HEAD,
                        {**CONCLUDE, "conclusion_date": "2026-08-27"}, NOW))
    assert concluded.facts["protection_active"] is False


def test_verification_needs_the_denouncers_identity_removed() -> None:
    payload = {"verifier": "Tổ xác minh", "identity_removed": False}
    r = fire(TC, tc("accepted"), "verify", HEAD, payload, NOW)
    assert r.code == "guard" and "Điều 56 khoản 2" in r.text
    assert fire(TC, tc("accepted"), "verify", HEAD, {"verifier": "Tổ xác minh"}, NOW).code == "field"
    assert ok(fire(TC, tc("accepted"), "verify", HEAD, {**payload, "identity_removed": True}, NOW)).to_state == \
        "verifying"


# --- Missing 11: immediate transfer to the investigators (LTC 27(1)) -----------------------------------------------

@pytest.mark.parametrize("state", ["received", "verifying", "concluded"])
def test_signs_of_a_crime_are_transferred_at_once_by_the_head(state: str) -> None:
    payload = {"transferred_on": "2026-08-20", "to_body": "investigation", "body_name": "Cơ quan CSĐT Công an tỉnh",
               "signs": "Dấu hiệu tham ô"}
    assert fire(TC, tc(state), "transfer_to_investigators", HANDLER, payload, NOW).code == "role"
    o = ok(fire(TC, tc(state), "transfer_to_investigators", HEAD, payload, NOW))
    assert o.to_state == state and "Điều 27 khoản 1" in o.basis
