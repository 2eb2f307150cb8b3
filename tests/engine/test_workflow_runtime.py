"""The runtime: checks in order, typed payloads, legal dates, guards, limits, clock operations, available actions."""
from __future__ import annotations

import time
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from dvflow.engine.types import Actor, CaseView, ClockView, Outcome, Rejection
from dvflow.engine.workflow import (
    available_actions,
    fire,
    initial_clock_ops,
    load_all,
    load_text,
    local_date,
)
from dvflow.engine.workflow.definition import choose_variant
from dvflow.engine.workflow.guards import FORWARD_ONCE
from dvflow.engine.workflow.machine import fire_machine

REG = load_all(Path(__file__).resolve().parents[2] / "workflows")
KN, KN2, TC = REG.get("complaint_first"), REG.get("complaint_second"), REG.get("denunciation")
NOW = datetime(2026, 8, 3, 2, 0, tzinfo=timezone.utc)  # 03/08/2026 09:00 in Hanoi
TODAY = date(2026, 8, 3)
HEAD = Actor(1, frozenset({"head"}), is_head=True, name="Thủ trưởng")
HANDLER = Actor(2, frozenset({"handler"}))
DEPUTY = Actor(3, frozenset({"head"}), is_head=False)
SUPERVISOR = Actor(4, frozenset({"supervisor"}))
PARTIES = {"party_roles": ["complainant", "denouncer", "respondent"]}
#: what a first-instance draft decision says when submitted (LKN Art 31(2)(e)-(h))
DRAFT = {"result": "right", "legal_basis": "Luật Đất đai 2024", "disposition": "keep", "resolution": "Giữ nguyên"}


def case(kind: str = "complaint_first", state: str = "received", *, received: date = date(2026, 7, 20),
         flags: frozenset[str] = frozenset(), clocks: dict | None = None, facts: dict | None = None,
         last: date | None = None, remote: bool = False, status: str = "open") -> CaseView:
    return CaseView(kind=kind, state=state, status=status, received_on=received, flags=flags, remote_area=remote,
                    last_event_on=last, clocks=clocks or {}, facts={**PARTIES, **(facts or {})})


def running(name: str, started: date = date(2026, 7, 22), state: str = "running", ext: int = 0) -> ClockView:
    return ClockView(name=name, state=state, started_on=started, extensions=ext)


ACCEPT = {"decision_number": "12/TB-UBND", "decision_date": "2026-07-22"}


def ops(outcome: Outcome) -> list[tuple]:
    return [(o.op, o.clock) for o in outcome.clock_ops]


# --- the order of checks -------------------------------------------------------------------------------------------

def test_unknown_action() -> None:
    r = fire(KN, case(), "teleport", HEAD, {}, NOW)
    assert isinstance(r, Rejection) and r.code == "unknown_action" and not r.ok


def test_wrong_state_names_the_action_and_state() -> None:
    r = fire(KN, case(state="accepted"), "accept", HEAD, ACCEPT, NOW)
    assert r.code == "wrong_state"
    assert "«Thụ lý»" in r.text and "«Đã thụ lý, đang giải quyết»" in r.text


def test_role_then_head_only() -> None:
    assert fire(KN, case(), "accept", HANDLER, ACCEPT, NOW).code == "role"
    assert fire(KN, case(), "accept", SUPERVISOR, ACCEPT, NOW).code == "role"
    r = fire(KN, case(), "accept", DEPUTY, ACCEPT, NOW)
    assert r.code == "head_only" and "thủ trưởng" in r.text.lower()


def test_state_is_checked_before_role() -> None:
    assert fire(KN, case(state="closed", status="closed"), "accept", HANDLER, {}, NOW).code == "wrong_state"


@pytest.mark.parametrize("payload, field, fragment", [
    ({"decision_date": "2026-07-22"}, "decision_number", "Thiếu thông tin bắt buộc: Số thông báo thụ lý"),
    ({"decision_number": "  ", "decision_date": "2026-07-22"}, "decision_number", "Thiếu thông tin bắt buộc"),
    ({"decision_number": "1", "decision_date": "22/07/2026"}, "decision_date", "YYYY-MM-DD"),
    ({"decision_number": "1", "decision_date": datetime(2026, 7, 22, tzinfo=timezone.utc)}, "decision_date",
     "không kèm giờ"),
    ({"decision_number": 12, "decision_date": "2026-07-22"}, "decision_number", "phải là văn bản"),
])
def test_field_errors(payload: dict, field: str, fragment: str) -> None:
    r = fire(KN, case(), "accept", HEAD, payload, NOW)
    assert r.code == "field" and r.field == field and fragment in r.text, r


def test_choice_integer_and_min_fields() -> None:
    base = {"withdrawn_on": "2026-07-25", "form": "letter", "content": "x"}
    st = case(state="accepted")
    assert fire(KN, st, "withdraw_partial", HANDLER, {**base, "form": "fax"}, NOW).code == "field"
    tc = case("denunciation", "received", clocks={"initial": running("initial", date(2026, 7, 20))})
    assert fire(TC, tc, "extend_initial", HANDLER, {"days": "two", "reason": "delegated"}, NOW).field == "days"
    assert "nhỏ hơn 1" in fire(TC, tc, "extend_initial", HANDLER, {"days": 0, "reason": "delegated"}, NOW).text
    assert fire(TC, tc, "extend_initial", HANDLER, {"days": True, "reason": "delegated"}, NOW).code == "field"
    assert isinstance(fire(TC, tc, "extend_initial", HANDLER, {"days": "2", "reason": "delegated"}, NOW), Outcome)


def test_payload_is_typed_and_unknown_keys_dropped() -> None:
    o = fire(KN, case(), "accept", HEAD, {**ACCEPT, "csrf_token": "abc", "decision_number": " 12/TB "}, NOW)
    assert o.payload == {"decision_number": "12/TB", "decision_date": date(2026, 7, 22)}
    o = fire(KN, case(), "refuse", HEAD, {"decision_number": "1", "decision_date": date(2026, 7, 22),
                                          "ground": "in_court", "reason": ""}, NOW)
    assert o.payload["decision_date"] == date(2026, 7, 22) and "reason" not in o.payload


def test_legal_date_not_in_the_future_in_vietnam_time() -> None:
    late_evening_utc = datetime(2026, 7, 22, 18, 30, tzinfo=timezone.utc)  # already 23/07 01:30 in Hanoi
    assert local_date(late_evening_utc) == date(2026, 7, 23)
    ok = fire(KN, case(), "accept", HEAD, {**ACCEPT, "decision_date": "2026-07-23"}, late_evening_utc)
    assert isinstance(ok, Outcome) and ok.legal_date == date(2026, 7, 23)
    r = fire(KN, case(), "accept", HEAD, {**ACCEPT, "decision_date": "2026-07-24"}, late_evening_utc)
    assert r.code == "date" and r.field == "decision_date" and "24/07/2026" in r.text


def test_legal_date_not_before_last_event() -> None:
    r = fire(KN, case(last=date(2026, 7, 23)), "accept", HEAD, ACCEPT, NOW)
    assert r.code == "date" and "23/07/2026" in r.text
    assert isinstance(fire(KN, case(last=date(2026, 7, 22)), "accept", HEAD, ACCEPT, NOW), Outcome)


def test_legal_date_defaults_to_today_and_naive_now_is_refused() -> None:
    o = fire(KN, case(state="drafting"), "submit", HANDLER, DRAFT, NOW)
    assert o.legal_date == TODAY
    with pytest.raises(ValueError):
        fire(KN, case(state="drafting"), "submit", HANDLER, DRAFT, datetime(2026, 8, 3, 9))


def test_guard_runs_after_fields_and_dates() -> None:
    no_party = CaseView(kind="complaint_first", state="received", status="open", received_on=date(2026, 7, 20))
    assert fire(KN, no_party, "accept", HEAD, {}, NOW).code == "field"
    assert fire(KN, no_party, "accept", HEAD, {**ACCEPT, "decision_date": "2026-09-01"}, NOW).code == "date"
    r = fire(KN, no_party, "accept", HEAD, ACCEPT, NOW)
    assert r.code == "guard" and r.text == "Hồ sơ chưa có thông tin người khiếu nại"


# --- outcomes and clocks -------------------------------------------------------------------------------------------

def test_accept_outcome() -> None:
    st = case(clocks={"accept": running("accept", date(2026, 7, 20))})
    o = fire(KN, st, "accept", HEAD, ACCEPT, NOW)
    assert (o.action, o.from_state, o.to_state, o.status) == ("accept", "received", "accepted", "open")
    assert o.legal_date == date(2026, 7, 22) and o.ok and o.label == "Thụ lý"
    assert "Điều 27" in o.basis
    assert ops(o) == [("stop", "accept"), ("start", "resolve")]
    stop, start = o.clock_ops
    assert stop.result == "met" and stop.on == date(2026, 7, 22)
    assert start.on == date(2026, 7, 22)  # resolve counts from the acceptance decision date
    assert (start.rule.days, start.rule.unit, start.rule.variant) == (30, "calendar_days", "normal")
    assert start.rule.basis == "Luật Khiếu nại 2011, Điều 28"
    assert [(n.recipients, n.template) for n in o.notifications] == [(("assignee", "unit_head"), "case_accepted")]


def test_acceptance_limit_switches_on_1_july_2026() -> None:
    before = initial_clock_ops(KN, case(received=date(2026, 6, 30)))
    after = initial_clock_ops(KN, case(received=date(2026, 7, 1)))
    assert [(o.op, o.clock, o.on, o.rule.days, o.rule.unit) for o in before] == \
        [("start", "accept", date(2026, 6, 30), 10, "working_days")]
    assert after[0].rule.days == 7 and "155/2026" in after[0].rule.basis


@pytest.mark.parametrize("defn, flags, remote, days, variant", [
    (KN, frozenset(), False, 30, "normal"),
    (KN, frozenset({"complex"}), False, 45, "complex"),
    (KN, frozenset(), True, 45, "remote"),
    (KN, frozenset({"complex"}), True, 60, "remote_complex"),
    (KN, frozenset({"complex", "especially_complex"}), False, 45, "complex"),
    (KN2, frozenset(), False, 45, "normal"),
    (KN2, frozenset({"complex"}), False, 60, "complex"),
    (KN2, frozenset(), True, 60, "remote"),
    (KN2, frozenset({"complex"}), True, 70, "remote_complex"),
    (TC, frozenset({"complex"}), True, 30, "normal"),
])
def test_resolution_variants(defn, flags, remote, days, variant) -> None:
    st = case(defn.id, flags=flags, remote=remote)
    o = fire(defn, st, "accept", HEAD, ACCEPT, NOW)
    rule = next(op.rule for op in o.clock_ops if op.clock == "resolve")
    assert (rule.days, rule.variant) == (days, variant)


def test_variant_fallbacks() -> None:
    assert choose_variant({"normal": 30, "complex": 45}, frozenset({"complex"}), True) == "complex"
    assert choose_variant({"normal": 30, "complex": 40, "remote": 50}, frozenset({"complex"}), True) == "remote"
    assert choose_variant({"normal": 30}, frozenset({"complex"}), True) == "normal"
    assert choose_variant({"normal": 30, "complex": 45, "especially_complex": 60},
                          frozenset({"especially_complex"}), False) == "especially_complex"
    assert choose_variant({"normal": 30, "remote": 45}, frozenset({"remote_area"}), False) == "remote"


def test_rule_for_dates_outside_every_range() -> None:
    clock = KN.clocks["accept"]
    assert clock.rule_on(date(2000, 1, 1)).days["normal"] == 10  # before the first: the first
    assert clock.rule_on(date(2030, 1, 1)).days["normal"] == 7


def test_suspend_pauses_resume_resumes_terminate_cancels() -> None:
    clocks = {"resolve": running("resolve")}
    o = fire(KN, case(state="verifying", clocks=clocks), "suspend", HEAD,
             {"decision_number": "3/QĐ", "decision_date": "2026-07-30", "ground": "awaiting_related_result"}, NOW)
    assert (o.to_state, o.status) == ("suspended", "suspended")
    assert ops(o) == [("pause", "resolve"), ("start", "send_suspension")] and o.clock_ops[0].on == date(2026, 7, 30)
    paused = {"resolve": running("resolve", state="paused")}
    o = fire(KN, case(state="suspended", clocks=paused, status="suspended"), "resume", HEAD,
             {"decision_number": "4/QĐ", "decision_date": "2026-08-02"}, NOW)
    assert (o.to_state, o.status) == ("accepted", "open")
    assert ops(o) == [("resume", "resolve"), ("start", "send_continuation")] and o.clock_ops[0].on == date(2026, 8, 2)
    o = fire(KN, case(state="suspended", clocks=paused, status="suspended"), "terminate", HEAD,
             {"decision_number": "5/QĐ", "decision_date": "2026-08-02", "ground": "complainant_died"}, NOW)
    # the termination decision is issued, then sent within 3 working days (NĐ 124/2020 Art 28b(1))
    assert (o.to_state, o.status) == ("termination_issued", "open")
    assert [(x.op, x.clock, x.result) for x in o.clock_ops] == [("cancel", "resolve", "cancelled"),
                                                                 ("start", "send_termination", None)]


def test_final_state_cancels_running_clocks_but_stops_met_ones() -> None:
    clocks = {"send_decision": running("send_decision"), "resolve": running("resolve", state="met")}
    o = fire(KN, case(state="decided", clocks=clocks), "send_decision", HANDLER, {"sent_on": "2026-07-24"}, NOW)
    assert [(x.op, x.clock, x.result) for x in o.clock_ops] == [("stop", "send_decision", "met")]
    clocks = {"accept": running("accept"), "stray": running("stray")}
    o = fire(KN, case(clocks=clocks), "refuse", HEAD, {"decision_number": "1", "decision_date": "2026-07-22",
                                                       "ground": "in_court"}, NOW)
    assert [(x.op, x.clock, x.result) for x in o.clock_ops] == [("stop", "accept", "met"),
                                                                ("cancel", "stray", "cancelled")]


def test_issue_decision_stops_resolve_and_starts_send() -> None:
    o = fire(KN, case(state="approved", clocks={"resolve": running("resolve")}, facts={"approved": True}),
             "issue_decision", HEAD, {"decision_number": "9/QĐ", "decision_date": "2026-08-01", "result": "right"},
             NOW)
    assert ops(o) == [("stop", "resolve"), ("start", "send_decision")]
    assert o.clock_ops[1].rule.days == 3 and o.clock_ops[1].rule.unit == "working_days"


def test_approval_guard() -> None:
    r = fire(KN, case(state="approved"), "issue_decision", HEAD,
             {"decision_number": "9/QĐ", "decision_date": "2026-08-01", "result": "right"}, NOW)
    assert r.code == "guard" and "phê duyệt" in r.text


def test_marking_complex_later_lengthens_the_running_limit() -> None:
    o = fire(KN, case(state="verifying", clocks={"resolve": running("resolve")}), "mark_complex", HEAD,
             {"document_number": "7/VB", "document_date": "2026-07-30", "criteria": "Điểm b"}, NOW)
    assert o.to_state == "verifying" and o.set_flags == frozenset({"complex"})
    (ext,) = o.clock_ops
    assert ext.op == "extend" and ext.extension.days == 15 and ext.extension.number == "7/VB"
    again = fire(KN, case(state="verifying", flags=frozenset({"complex"})), "mark_complex", HEAD,
                 {"document_number": "8", "document_date": "2026-07-30", "criteria": "x"}, NOW)
    assert again.code == "guard"


def test_internal_action_keeps_state_and_status() -> None:
    o = fire(KN, case(state="suspended", status="suspended", clocks={"resolve": running("resolve", state="paused")}),
             "withdraw_partial", HANDLER,
             {"withdrawn_on": "2026-07-25", "form": "minutes", "content": "Nội dung 2"}, NOW)
    assert (o.from_state, o.to_state, o.status) == ("suspended", "suspended", "suspended")
    assert o.clock_ops == ()


def test_withdrawal_before_acceptance_cancels_the_acceptance_clock() -> None:
    o = fire(KN, case(clocks={"accept": running("accept")}), "withdraw", HANDLER,
             {"withdrawn_on": "2026-07-21", "form": "letter"}, NOW)
    assert o.to_state == "withdrawn" and [(x.op, x.result) for x in o.clock_ops] == [("cancel", "cancelled")]


# --- denunciations -------------------------------------------------------------------------------------------------

EXTEND = {"decision_number": "1/QĐ-GH", "decision_date": "2026-08-01", "days": 30, "reason": "Phức tạp"}


def tc(state: str = "verifying", flags: frozenset[str] = frozenset(), ext: int = 0, **facts) -> CaseView:
    return case("denunciation", state, flags=flags, facts=facts,
                clocks={"resolve": running("resolve", ext=ext)})


def test_extension_needs_a_complexity_determination() -> None:
    r = fire(TC, tc(), "extend", HEAD, EXTEND, NOW)
    assert r.code == "limit" and "chưa được xác định là phức tạp" in r.text and "Điều 30" in r.text


def test_complex_case_extends_once() -> None:
    o = fire(TC, tc(flags=frozenset({"complex"})), "extend", HEAD, EXTEND, NOW)
    (op,) = o.clock_ops
    assert (op.op, op.clock, op.extension.days, op.extension.number) == ("extend", "resolve", 30, "1/QĐ-GH")
    assert op.extension.decided_on == date(2026, 8, 1) and op.extension.reason == "Phức tạp"
    r = fire(TC, tc(flags=frozenset({"complex"}), ext=1), "extend", HEAD, EXTEND, NOW)
    assert r.code == "limit"
    assert r.text == "Vụ việc phức tạp chỉ được gia hạn 1 lần (Luật Tố cáo 2018, Điều 30 khoản 2, 3)"


def test_especially_complex_case_extends_twice_by_at_most_30_days() -> None:
    flags = frozenset({"complex", "especially_complex"})
    assert isinstance(fire(TC, tc(flags=flags, ext=1), "extend", HEAD, EXTEND, NOW), Outcome)
    r = fire(TC, tc(flags=flags, ext=2), "extend", HEAD, EXTEND, NOW)
    assert r.code == "limit" and "đặc biệt phức tạp chỉ được gia hạn 2 lần" in r.text
    r = fire(TC, tc(flags=flags), "extend", HEAD, {**EXTEND, "days": 31}, NOW)
    assert r.code == "limit" and r.field == "days" and "30 ngày" in r.text


def test_extension_of_a_clock_that_is_not_running() -> None:
    st = case("denunciation", "verifying", flags=frozenset({"complex"}),
              clocks={"resolve": running("resolve", state="met")})
    assert fire(TC, st, "extend", HEAD, EXTEND, NOW).code == "limit"


def test_initial_processing_extends_once_up_to_10_working_days() -> None:
    st = case("denunciation", "received", clocks={"initial": running("initial", date(2026, 7, 20))})
    o = fire(TC, st, "extend_initial", HANDLER, {"days": 3, "reason": "multiple_locations"}, NOW)
    assert o.clock_ops[0].extension.days == 3 and o.to_state == "received"
    assert fire(TC, st, "extend_initial", HANDLER, {"days": 4, "reason": "delegated"}, NOW).code == "limit"
    used = case("denunciation", "received", clocks={"initial": running("initial", date(2026, 7, 20), ext=1)})
    assert fire(TC, used, "extend_initial", HANDLER, {"days": 1, "reason": "delegated"}, NOW).code == "limit"


def test_forward_only_once() -> None:
    payload = {"to_body": "UBND tỉnh", "forwarded_on": "2026-07-24", "denouncer_notified_on": "2026-07-24"}
    st = case("denunciation", "not_competent", facts={"forward_count": 1})
    r = fire(TC, st, "forward", HEAD, payload, NOW)
    assert (r.code, r.text) == ("guard", FORWARD_ONCE)
    assert r.text == "Tố cáo cùng nội dung chỉ được chuyển một lần (Thông tư 05/2021/TT-TTCP, Điều 14)"
    assert isinstance(fire(TC, case("denunciation", "not_competent", facts={"forward_count": 0}), "forward",
                           HEAD, payload, NOW), Outcome)


def test_forward_clock_counts_from_receipt() -> None:
    st = case("denunciation", "received", received=date(2026, 7, 20), clocks={"initial": running("initial")})
    o = fire(TC, st, "mark_not_competent", HANDLER, {}, NOW)
    assert ops(o) == [("stop", "initial"), ("start", "forward")]
    assert o.clock_ops[1].on == date(2026, 7, 20) and o.clock_ops[1].rule.days == 5


@pytest.mark.parametrize("fact", ["violation_signs", "withdrawal_coerced", "slander_suspected"])
def test_withdrawal_does_not_end_a_denunciation_under_art_33_3(fact: str) -> None:
    payload = {"withdrawn_on": "2026-07-25", "form": "letter"}
    r = fire(TC, tc(**{fact: True}), "withdraw", HANDLER, payload, NOW)
    assert r.code == "guard" and "Điều 33 khoản 3" in r.text
    partial = fire(TC, tc(**{fact: True}), "withdraw_partial", HANDLER,
                   {**payload, "content": "Toàn bộ", "continues_because": "article_33_3"}, NOW)
    assert partial.to_state == "verifying"
    assert fire(TC, tc(), "withdraw", HANDLER, payload, NOW).to_state == "withdrawn"


def test_conclusion_starts_act_and_publish_clocks_and_close_needs_publication() -> None:
    o = fire(TC, tc("approved", approved=True), "conclude", HEAD,
             {"conclusion_number": "5/KL", "conclusion_date": "2026-08-01", "result": "partly_correct"}, NOW)
    assert ops(o) == [("stop", "resolve"), ("start", "act"), ("start", "publish"), ("start", "send_conclusion"),
                      ("start", "notify_conclusion")]
    clocks = {"publish": running("publish"), "act": running("act")}
    p = fire(TC, case("denunciation", "concluded", clocks=clocks), "publish", HANDLER,
             {"published_on": "2026-08-02", "form": "website"}, NOW)
    assert p.to_state == "concluded" and ops(p) == [("stop", "publish")]
    assert fire(TC, case("denunciation", "acted"), "close", HANDLER, {}, NOW).code == "guard"
    sent = {"published": True, "conclusion_sent": True, "conclusion_notified": True}
    done = fire(TC, case("denunciation", "acted", facts=sent), "close", HANDLER, {}, NOW)
    assert (done.to_state, done.status) == ("closed", "closed")


def test_notify_acceptance_stops_its_clock() -> None:
    o = fire(TC, case("denunciation", "accepted", clocks={"notify_acceptance": running("notify_acceptance"),
                                                          "resolve": running("resolve")}),
             "notify_acceptance", HEAD, {"sent_on": "2026-07-24"}, NOW)
    assert [(x.op, x.clock) for x in o.clock_ops] == [("stop", "notify_acceptance")]


@pytest.mark.parametrize("action, fact", [("notify_acceptance", "acceptance_notified"),
                                          ("notify_accused", "accused_notified")])
def test_each_notice_of_the_acceptance_is_sent_once(action, fact) -> None:
    """NĐ 31/2019 Art 9(2): one notice to the denouncer (Mẫu 05) and one to the accused (Mẫu 06) per acceptance; the
    first records it, a second is refused (each issue numbers a notice in the unit's register)."""
    first = fire(TC, case("denunciation", "accepted"), action, HEAD, {"sent_on": "2026-07-24"}, NOW)
    assert first.ok and first.facts[fact] is True
    again = fire(TC, case("denunciation", "verifying", facts=dict(first.facts)), action, HEAD,
                 {"sent_on": "2026-07-24"}, NOW)
    assert again.code == "guard" and "chỉ thông báo một lần" in again.text
    other = "notify_accused" if action == "notify_acceptance" else "notify_acceptance"
    assert fire(TC, case("denunciation", "verifying", facts=dict(first.facts)), other, HEAD,
                {"sent_on": "2026-07-24"}, NOW).ok


def test_denunciation_accept_needs_an_identified_denouncer() -> None:
    anon = CaseView(kind="denunciation", state="received", status="open", received_on=date(2026, 7, 20))
    r = fire(TC, anon, "accept", HEAD, ACCEPT, NOW)
    assert r.code == "guard" and "người tố cáo" in r.text


# --- the dialogue notice and minutes of a complaint --------------------------------------------------------------

NOTICE = {"notice_sent_on": "2026-08-01", "scheduled_on": "2026-08-06", "place": "UBND xã", "content": "Thu hồi đất"}


def test_notice_must_be_five_days_before() -> None:
    st = case("complaint_first", "verified")
    r = fire(KN, st, "schedule_dialogue", HEAD, {**NOTICE, "scheduled_on": "2026-08-05"}, NOW)
    assert r.code == "guard" and "ít nhất 5 ngày" in r.text
    o = fire(KN, st, "schedule_dialogue", HEAD, NOTICE, NOW)
    assert o.ok and o.to_state == "dialogue" and o.facts["notice_sent_on"] == "2026-08-01"


def test_the_notice_needs_its_content() -> None:
    r = fire(KN, case("complaint_first", "verified"), "schedule_dialogue", HEAD,
             {k: v for k, v in NOTICE.items() if k != "content"}, NOW)
    assert not r.ok and r.field == "content"


def test_minutes_not_before_the_notice_period_and_attendance_is_required() -> None:
    minutes = {"held_on": "2026-08-03", "attendance": "present", "attendees": "Nguyễn Văn An"}
    early = fire(KN, case("complaint_first", "dialogue", facts={"notice_sent_on": "2026-07-30"}), "record_minutes",
                 HEAD, minutes, NOW)
    assert early.code == "guard" and "5 ngày" in early.text
    st = case("complaint_first", "dialogue", facts={"notice_sent_on": "2026-07-29"})
    assert fire(KN, st, "record_minutes", HEAD, minutes, NOW).to_state == "dialogue_held"
    r = fire(KN, st, "record_minutes", HEAD, {k: v for k, v in minutes.items() if k != "attendees"}, NOW)
    assert not r.ok and r.field == "attendees"


def test_an_excused_absence_needs_its_reason_in_the_minutes() -> None:
    """NĐ 124/2020 Art 28a: the valid reason is evidenced in the file."""
    st = case("complaint_first", "dialogue", facts={"notice_sent_on": "2026-07-29"})
    absent = {"held_on": "2026-08-03", "attendance": "absent_valid_reason", "attendees": "Trần Văn Bình"}
    for defn in (KN, REG.get("complaint_second")):
        r = fire(defn, case(defn.id, "dialogue", facts=dict(st.facts)), "record_minutes", HEAD, absent, NOW)
        assert r.code == "guard" and "Điều 28a" in r.text, defn.id
        ok = fire(defn, case(defn.id, "dialogue", facts=dict(st.facts)), "record_minutes", HEAD,
                  {**absent, "absence_reason": "Nằm viện"}, NOW)
        assert ok.ok and ok.facts["attendance"] == "absent_valid_reason"
    no_reason = fire(KN, st, "record_minutes", HEAD, {**absent, "attendance": "absent_no_reason"}, NOW)
    assert no_reason.ok  # absent without a valid reason: resolution goes on (LKN Art 30(6))


# --- the grassroots dialogue conference (workflow `dialogue`) -----------------------------------------------------

DLG = REG.get("dialogue")
PLAN = {"planned_on": "2026-09-15", "place": "Hội trường UBND xã", "topics": "Nông thôn mới",
        "front_coorganiser": "Chủ tịch UBMTTQ xã"}
HELD = {"held_on": "2026-08-03", "place": "Hội trường", "chair": "Chủ tịch UBND xã", "attendance_count": 85,
        "front_present": True, "opinions": "Đường xuống cấp", "answers": "Sửa trong năm 2027"}


def test_a_conference_needs_no_complainant_and_records_its_dates() -> None:
    assert DLG.requires_party == () or not DLG.requires_party
    planned = fire(DLG, case("dialogue", "registered", facts={}), "plan", HANDLER, PLAN, NOW)
    assert planned.to_state == "planned" and planned.facts["planned_on"] == "2026-09-15"
    held = fire(DLG, case("dialogue", "planned", facts=dict(planned.facts)), "hold", HEAD, HELD, NOW)
    assert held.to_state == "held" and held.facts["held_on"] == "2026-08-03"
    assert held.facts["attendance_count"] == 85 and held.facts["front_present"] is True
    assert fire(DLG, case("dialogue", "held", facts=dict(held.facts)), "close", HANDLER, {}, NOW).to_state == "closed"


def test_only_a_head_calls_a_conference_off_and_never_after_it_was_held() -> None:
    st = case("dialogue", "planned", facts={"planned_on": "2026-09-15"})
    assert fire(DLG, st, "call_off", HANDLER, {"reason": "Bão"}, NOW).code in ("role", "head_only")
    assert fire(DLG, st, "call_off", HEAD, {"reason": "Bão"}, NOW).to_state == "called_off"
    assert fire(DLG, case("dialogue", "held"), "call_off", HEAD, {"reason": "Bão"}, NOW).code == "wrong_state"


# --- available actions ---------------------------------------------------------------------------------------------

def test_available_actions_respect_state_role_and_head() -> None:
    handler_actions = {a.trigger for a in available_actions(KN, case(), HANDLER)}
    assert handler_actions == {"withdraw", "withdraw_partial", "record_known_date"}
    assert available_actions(KN, case(), SUPERVISOR) == []
    assert {a.trigger for a in available_actions(KN, case(), DEPUTY)} == {"withdraw", "withdraw_partial", "record_known_date"}
    head = {a.trigger: a for a in available_actions(KN, case(), HEAD)}
    assert set(head) == {"accept", "refuse", "mark_complex", "withdraw", "withdraw_partial", "record_known_date",
                         "mark_remote_area"}
    accept = head["accept"]
    assert accept.allowed and accept.reason is None and accept.dest == "accepted"
    assert [f.name for f in accept.fields] == ["decision_number", "decision_date", "forwarded_by_body"]
    assert accept.fields[1].legal_date and accept.fields[1].type == "date"
    assert available_actions(KN, case(state="closed", status="closed"), HEAD) == []
    assert available_actions(KN, case(state="no_such_state"), HEAD) == []


def test_available_actions_show_refused_ones_with_their_reason() -> None:
    anon = CaseView(kind="complaint_first", state="received", status="open", received_on=date(2026, 7, 20))
    accept = next(a for a in available_actions(KN, anon, HEAD) if a.trigger == "accept")
    assert not accept.allowed and accept.code == "guard" and "người khiếu nại" in accept.reason
    ext = next(a for a in available_actions(TC, tc(flags=frozenset({"complex"}), ext=1), HEAD)
               if a.trigger == "extend")
    assert not ext.allowed and ext.code == "limit" and "1 lần" in ext.reason


def test_every_available_allowed_action_fires() -> None:
    st = case(state="verifying", clocks={"resolve": running("resolve")})
    for a in available_actions(KN, st, HEAD):
        assert a.allowed
        result = fire(KN, st, a.trigger, HEAD, {}, NOW)
        assert result.ok or result.code == "field", result  # only the missing form data can stop it
    kinds = {a.trigger for a in available_actions(KN, st, HEAD)}
    assert kinds == {"mark_complex", "verification_report", "suspend", "withdraw", "withdraw_partial", "terminate",
                     "record_known_date", "send_continuation_decision", "suspend_execution",
                     "lift_execution_suspension", "mark_remote_area"}


# --- the machine ---------------------------------------------------------------------------------------------------

def test_machine_refuses_invalid_triggers_without_raising() -> None:
    assert fire_machine(KN.machine, "received", "accept") == "accepted"
    assert fire_machine(KN.machine, "received", "issue_decision") is None
    assert fire_machine(KN.machine, "received", "nope") is None
    assert fire_machine(KN.machine, "verifying", "withdraw_partial") == "verifying"


def test_a_fire_costs_microseconds_and_leaves_nothing_in_the_machine() -> None:
    n = 3000
    start = time.perf_counter()
    for _ in range(n):
        fire_machine(KN.machine, "received", "accept")
    machine_us = (time.perf_counter() - start) / n * 1e6
    st = case(clocks={"accept": running("accept")})
    start = time.perf_counter()
    for _ in range(n):
        fire(KN, st, "accept", HEAD, ACCEPT, NOW)
    full_us = (time.perf_counter() - start) / n * 1e6
    print(f"machine fire {machine_us:.1f} µs, full runtime fire {full_us:.1f} µs")
    assert machine_us < 100, machine_us  # measured about 8 µs
    assert full_us < 500, full_us  # measured about 25 µs
    assert KN.machine.models == []


def test_definitions_are_not_shared_between_versions() -> None:
    other = load_text(KN.source_text + "\n# v2\n", "complaint_first@v2")
    assert other.version != KN.version and other.machine is not KN.machine
