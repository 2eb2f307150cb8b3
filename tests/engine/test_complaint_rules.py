"""The complaint rules of the December 2026 legal audit (W4-W7, W9; missing items 3, 4, 5, 7, 11), each fired through
the runtime with an exact due date across a weekend or a holiday (National Day 2026: Mon 31/08 to Wed 02/09 off)."""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from dvflow.engine.calendar import WorkCalendar
from dvflow.engine.deadlines import compute_due
from dvflow.engine.types import Actor, CaseView, ClockView, Outcome
from dvflow.engine.workflow import fire, initial_clock_ops, load_all
from dvflow.engine.workflow.information import StartEvent, information_windows

REG = load_all(Path(__file__).resolve().parents[2] / "workflows")
KN, KN2, KNKL = (REG.get(k) for k in ("complaint_first", "complaint_second", "complaint_discipline"))
NOW = datetime(2026, 10, 1, 2, 0, tzinfo=timezone.utc)
HEAD = Actor(1, frozenset({"head", "handler", "reception"}), is_head=True)
CAL = WorkCalendar()
PARTIES = {"party_roles": ["complainant"]}


def case(defn, state: str, *, facts: dict | None = None, clocks: tuple[str, ...] = (), received=date(2026, 7, 20),
         remote: bool = False) -> CaseView:
    return CaseView(kind=defn.id, state=state, status=defn.states[state].status, received_on=received,
                    remote_area=remote, facts={**PARTIES, **(facts or {})},
                    clocks={n: ClockView(n, "running", date(2026, 7, 22)) for n in clocks})


def started(outcome: Outcome, clock: str) -> date | None:
    """The due date of ``clock`` if the outcome starts it."""
    op = next((o for o in outcome.clock_ops if o.op == "start" and o.clock == clock), None)
    return compute_due(op.rule, op.on, CAL).due_date if op else None


# --- W4: disciplinary acceptance before 01/07/2026 ---------------------------------------------------------------

def accept_due(received: date) -> tuple[date, str]:
    op = initial_clock_ops(KNKL, case(KNKL, "received", received=received))[0]
    return compute_due(op.rule, op.on, CAL).due_date, op.rule.basis


def test_discipline_acceptance_calendar_days_until_4_december_2016() -> None:
    due, basis = accept_due(date(2016, 12, 2))  # Friday: 10 calendar days end on Monday 12/12
    assert due == date(2016, 12, 12) and basis == "Luật Khiếu nại 2011, Điều 50"


def test_discipline_acceptance_working_days_from_5_december_2016() -> None:
    due, basis = accept_due(date(2016, 12, 5))  # Monday: 10 working days over two weekends
    assert due == date(2016, 12, 19) and "Thông tư 07/2013/TT-TTCP, Điều 5 khoản 1" in basis
    assert "Thông tư 02/2016/TT-TTCP" in basis
    due, _ = accept_due(date(2026, 6, 30))  # the last day of the rule, in working days still
    assert due == date(2026, 7, 14)


def test_discipline_acceptance_seven_working_days_from_july_2026() -> None:
    due, _ = accept_due(date(2026, 8, 27))  # Thu: 28/08, then 03, 04, 07, 08, 09, 10/09 past the holiday
    assert due == date(2026, 9, 10)


# --- W5: second-instance publication within 15 days -------------------------------------------------------------

def test_second_instance_publication_clock_from_the_decision() -> None:
    o = fire(KN2, case(KN2, "approved", facts={"approved": True}), "issue_decision", HEAD,
             {"decision_number": "9/QĐ", "decision_date": "2026-08-18", "result": "right"}, NOW)
    assert started(o, "publish") == date(2026, 9, 3)  # 15 days end on 02/09 (National Day): rolls to Thu 03/09
    assert "Nghị định 75/2012/NĐ-CP, Điều 12" in KN2.clocks["publish"].rules[0].basis
    assert "Nghị định 124/2020" in KN2.clocks["publish"].review  # the doubt is marked for a lawyer
    o = fire(KN2, case(KN2, "sent", clocks=("publish",)), "publish", HEAD,
             {"published_on": "2026-09-01", "form": "posting"}, NOW)
    assert [(x.op, x.clock, x.result) for x in o.clock_ops] == [("stop", "publish", "met")]


# --- W6: absent with a valid reason ------------------------------------------------------------------------------

MINUTES = {"held_on": "2026-08-20", "attendance": "absent_valid_reason"}
# every complaint's minutes record who attended and the absence's reason (NĐ 124/2020 Art 28(4), 28a)
ATTENDANCE = {"attendees": "Trần Văn Bình (người bị khiếu nại)", "absence_reason": "Nằm viện"}


def _notice(defn):
    """Every complaint issues the notice (Thông báo về việc đối thoại) with its content."""
    return {"content": "Thu hồi đất"}


def _minutes(defn, payload):
    return {**payload, **ATTENDANCE}


def test_absent_with_a_valid_reason_blocks_drafting_until_a_new_dialogue() -> None:
    for defn in (KN2, KNKL, KN):
        held = fire(defn, case(defn, "dialogue", facts={"notice_sent_on": "2026-08-10"}), "record_minutes", HEAD,
                    _minutes(defn, MINUTES), NOW)
        assert held.facts["attendance"] == "absent_valid_reason"
        after = case(defn, "dialogue_held", facts=dict(held.facts))
        refused = fire(defn, after, "draft_decision", HEAD, {}, NOW)
        assert refused.code == "guard" and "Điều 28 khoản 5" in refused.text, defn.id
        renotice = fire(defn, after, "schedule_dialogue", HEAD, {**_notice(defn), "notice_sent_on": "2026-08-21",
                                                                  "scheduled_on": "2026-08-27", "place": "UBND"}, NOW)
        assert renotice.to_state == "dialogue" and renotice.facts["dialogue_held"] is False
        suspended = fire(defn, after, "suspend", HEAD, {"decision_number": "1/QĐ", "decision_date": "2026-08-21",
                                                         "ground": "objective_obstacle"}, NOW)
        assert suspended.to_state == "suspended"
        again = fire(defn, case(defn, "dialogue", facts=dict(renotice.facts)), "record_minutes", HEAD,
                     _minutes(defn, {"held_on": "2026-08-27", "attendance": "present"}), NOW)
        assert fire(defn, case(defn, "dialogue_held", facts=dict(again.facts)), "draft_decision", HEAD, {}, NOW).ok


# --- W7: first-instance dialogue when the request and the verification differ -------------------------------------

def test_a_difference_found_by_verification_requires_the_dialogue() -> None:
    report = {"report_date": "2026-08-20", "summary": "Còn khác nhau về đơn giá", "request_differs": True}
    o = fire(KN, case(KN, "verifying"), "verification_report", HEAD, report, NOW)
    assert o.facts["request_differs"] is True
    refused = fire(KN, case(KN, "verified", facts=dict(o.facts)), "draft_decision", HEAD, {}, NOW)
    assert refused.code == "guard" and "Điều 30 khoản 1" in refused.text
    held = {**o.facts, "dialogue_held": True, "attendance": "present"}
    assert fire(KN, case(KN, "dialogue_held", facts=held), "draft_decision", HEAD, {}, NOW).ok


def test_no_difference_lets_drafting_start_after_the_report() -> None:
    o = fire(KN, case(KN, "verifying"), "verification_report", HEAD,
             {"report_date": "2026-08-20", "summary": "Khớp", "request_differs": False}, NOW)
    assert fire(KN, case(KN, "verified", facts=dict(o.facts)), "draft_decision", HEAD, {}, NOW).ok
    # a new verification forgets the former finding
    o = fire(KN, case(KN, "accepted", facts={"request_differs": True}), "verify", HEAD, {"verifier": "Tổ 1"}, NOW)
    assert o.facts["request_differs"] is False


# --- W9: the 5-day notice only from 01/07/2026 --------------------------------------------------------------------

def test_five_day_notice_only_for_a_notice_sent_from_july_2026() -> None:
    early = {"notice_sent_on": "2026-06-29", "scheduled_on": "2026-07-01", "place": "UBND", "content": "Đất"}
    late = {"notice_sent_on": "2026-07-01", "scheduled_on": "2026-07-03", "place": "UBND", "content": "Đất"}
    for defn in (KN, KN2):
        assert fire(defn, case(defn, "verified"), "schedule_dialogue", HEAD, early, NOW).ok
        refused = fire(defn, case(defn, "verified"), "schedule_dialogue", HEAD, late, NOW)
        assert refused.code == "guard" and "5 ngày" in refused.text
        minutes = _minutes(defn, {"held_on": "2026-07-02", "attendance": "present"})
        assert fire(defn, case(defn, "dialogue", facts={"notice_sent_on": "2026-06-29"}), "record_minutes", HEAD,
                    minutes, NOW).ok
        refused = fire(defn, case(defn, "dialogue", facts={"notice_sent_on": "2026-07-01"}), "record_minutes", HEAD,
                       {**minutes, "held_on": "2026-07-05"}, NOW)
        assert refused.code == "guard"
        assert fire(defn, case(defn, "dialogue", facts={"notice_sent_on": "2026-07-01"}), "record_minutes", HEAD,
                    {**minutes, "held_on": "2026-07-06"}, NOW).ok


# --- missing 3: suspension, continuation and termination decisions sent in 3 working days -------------------------

def test_suspension_continuation_and_termination_are_sent_in_three_working_days() -> None:
    for defn in (KN, KN2, KNKL):
        o = fire(defn, case(defn, "verifying", clocks=("resolve",)), "suspend", HEAD,
                 {"decision_number": "3/QĐ", "decision_date": "2026-08-28", "ground": "objective_obstacle"}, NOW)
        assert started(o, "send_suspension") == date(2026, 9, 7), defn.id  # Fri 28/08: 03, 04, 07/09
        sent = fire(defn, case(defn, "suspended", clocks=("send_suspension",)), "send_suspension_decision", HEAD,
                    {"sent_on": "2026-09-03"}, NOW)
        assert [(x.op, x.clock) for x in sent.clock_ops] == [("stop", "send_suspension")]
        o = fire(defn, case(defn, "suspended"), "resume", HEAD, {"decision_number": "4/QĐ",
                                                                 "decision_date": "2026-08-27"}, NOW)
        assert started(o, "send_continuation") == date(2026, 9, 4)  # Thu 27/08: 28/08, 03, 04/09
        o = fire(defn, case(defn, "withdrawn"), "terminate", HEAD, {"decision_number": "5/QĐ",
                                                                   "decision_date": "2026-08-26",
                                                                   "ground": "withdrawn"}, NOW)
        assert o.to_state == "termination_issued" and started(o, "send_termination") == date(2026, 9, 3)
        closed = fire(defn, case(defn, "termination_issued", clocks=("send_termination",)),
                      "send_termination_decision", HEAD, {"sent_on": "2026-09-03"}, NOW)
        assert closed.to_state == "terminated" and closed.status == "closed"
        assert [(x.op, x.clock, x.result) for x in closed.clock_ops] == [("stop", "send_termination", "met")]


# --- missing 4: the second-instance disciplinary decision sent in 7 days ------------------------------------------

def test_second_instance_disciplinary_decision_sent_in_seven_days() -> None:
    issue = {"decision_number": "7/QĐ", "decision_date": "2026-08-26", "result": "right"}
    second = fire(KNKL, case(KNKL, "approved", facts={"approved": True, "instance": "second"}), "issue_decision",
                  HEAD, issue, NOW)
    assert started(second, "send_decision_second") == date(2026, 9, 3)  # 7 days end on 02/09: rolls to 03/09
    assert KNKL.clocks["send_decision_second"].rules[0].basis == "Luật Khiếu nại 2011, Điều 56 khoản 2"
    first = fire(KNKL, case(KNKL, "approved", facts={"approved": True, "instance": "first"}), "issue_decision",
                 HEAD, issue, NOW)
    assert started(first, "send_decision_second") is None


# --- missing 5: the result reported to a forwarding body in 7 working days -----------------------------------------

def test_a_case_forwarded_by_a_deputy_reports_its_result_in_seven_working_days() -> None:
    accepted = fire(KN, case(KN, "received"), "accept", HEAD, {"decision_number": "1/TB",
                                                               "decision_date": "2026-07-22",
                                                               "forwarded_by_body": "national_assembly"}, NOW)
    assert accepted.facts["forwarded_by_body"] == "national_assembly"
    facts = {**accepted.facts, "approved": True}
    issued = fire(KN, case(KN, "approved", facts=facts), "issue_decision", HEAD,
                  {"decision_number": "8/QĐ", "decision_date": "2026-08-27", "result": "right"}, NOW)
    assert started(issued, "reply_forwarder") == date(2026, 9, 10)  # Thu 27/08: 28/08, 03, 04, 07, 08, 09, 10/09
    decided = case(KN, "decided", facts=dict(issued.facts), clocks=("reply_forwarder", "send_decision"))
    refused = fire(KN, decided, "send_decision", HEAD, {"sent_on": "2026-08-28"}, NOW)
    assert refused.code == "guard" and "Điều 27 khoản 2" in refused.text
    reported = fire(KN, decided, "report_to_forwarder", HEAD, {"reported_on": "2026-08-28"}, NOW)
    assert [(x.op, x.clock) for x in reported.clock_ops] == [("stop", "reply_forwarder")]
    assert fire(KN, case(KN, "decided", facts=dict(reported.facts)), "send_decision", HEAD,
                {"sent_on": "2026-08-28"}, NOW).ok


def test_a_case_not_forwarded_has_no_reply_clock() -> None:
    issued = fire(KN, case(KN, "approved", facts={"approved": True}), "issue_decision", HEAD,
                  {"decision_number": "8/QĐ", "decision_date": "2026-08-27", "result": "right"}, NOW)
    assert started(issued, "reply_forwarder") is None


# --- missing 7: the complainant's windows, information only ---------------------------------------------------------

def windows(defn, events, *, facts=None, remote=False) -> dict[str, date]:
    got = information_windows(defn, events, received_on=date(2026, 7, 20), facts={**PARTIES, **(facts or {})},
                              flags=frozenset(), remote_area=remote, calendar=CAL)
    return {w.clock: w.until for w in got}


def test_first_instance_windows() -> None:
    events = [StartEvent("record_known_date", date(2026, 7, 21), {"known_on": "2026-06-03"}),
              StartEvent("issue_decision", date(2026, 8, 3), {}),
              StartEvent("send_decision", date(2026, 8, 5), {})]
    assert windows(KN, events) == {
        "limitation": date(2026, 9, 3),  # 90 days from 03/06 end on 01/09 (National Day): rolls to 03/09
        "second_complaint_window": date(2026, 9, 4),  # 30 days from 05/08
        "decision_effective": date(2026, 9, 3),  # 30 days from 03/08 end on 02/09: rolls to 03/09
    }
    assert windows(KN, events, remote=True)["second_complaint_window"] == date(2026, 9, 21)  # 45 days: Sat 19/09
    assert windows(KN, events[:1]) == {"limitation": date(2026, 9, 3)}  # the others start with their action


def test_second_instance_and_disciplinary_windows() -> None:
    events = [StartEvent("record_known_date", None, {"known_on": "2026-08-14"}),
              StartEvent("issue_decision", date(2026, 8, 21), {}), StartEvent("send_decision", date(2026, 8, 24), {})]
    assert windows(KN2, events) == {"limitation": date(2026, 9, 14), "decision_effective": date(2026, 9, 21)}
    first = windows(KNKL, events, facts={"instance": "first", "penalty": "other"})
    assert first == {"limitation_first": date(2026, 9, 3),  # 15 days from 14/08 end on Sat 29/08: rolls past 02/09
                     "second_complaint_window": date(2026, 9, 3),  # 10 days from 24/08 end on 03/09
                     "decision_effective": date(2026, 9, 21)}  # 30 days from 21/08 end on Sun 20/09
    dismissal = windows(KNKL, events, facts={"instance": "second", "penalty": "dismissal"})
    assert dismissal == {"limitation_second_dismissal": date(2026, 9, 14), "decision_effective": date(2026, 9, 21)}


def test_information_clocks_never_run() -> None:
    sent = fire(KN, case(KN, "decided", clocks=("send_decision",)), "send_decision", HEAD,
                {"sent_on": "2026-08-05"}, NOW)
    assert [(x.op, x.clock) for x in sent.clock_ops] == [("stop", "send_decision")]
    noted = fire(KN, case(KN, "received"), "record_known_date", HEAD, {"known_on": "2026-06-03"}, NOW)
    assert noted.ok and noted.clock_ops == ()
    assert all(not c.ladder for c in KN.clocks.values() if c.information)


# --- missing 11: suspending execution of the contested decision ---------------------------------------------------

def test_suspending_execution_is_a_head_decision_that_keeps_the_case_where_it_is() -> None:
    o = fire(KN, case(KN, "verifying"), "suspend_execution", HEAD,
             {"decision_number": "2/QĐ", "decision_date": "2026-08-03", "reason": "Cưỡng chế phá dỡ"}, NOW)
    assert o.to_state == "verifying" and "Điều 35" in o.basis
    assert fire(KN, case(KN, "verifying"), "suspend_execution", Actor(2, frozenset({"handler"})),
                {"decision_number": "2/QĐ", "decision_date": "2026-08-03", "reason": "x"}, NOW).code == "role"


def test_second_instance_and_disciplinary_cases_report_to_the_forwarding_body_too() -> None:
    for defn, closing, state in ((KN2, "publish", "sent"), (KNKL, "send_decision", "decided")):
        facts = {"approved": True, "forwarded_by_body": "national_assembly", "instance": "first"}
        issued = fire(defn, case(defn, "approved", facts=facts), "issue_decision", HEAD,
                      {"decision_number": "8/QĐ", "decision_date": "2026-08-27", "result": "right"}, NOW)
        assert started(issued, "reply_forwarder") == date(2026, 9, 10), defn.id  # over the National Day holiday
        payload = {"published_on": "2026-09-03", "form": "posting"} if closing == "publish" else {"sent_on": "2026-09-03"}
        refused = fire(defn, case(defn, state, facts=dict(issued.facts)), closing, HEAD, payload, NOW)
        assert refused.code == "guard", defn.id
        reported = fire(defn, case(defn, state, facts=dict(issued.facts), clocks=("reply_forwarder",)),
                        "report_to_forwarder", HEAD, {"reported_on": "2026-09-03"}, NOW)
        assert [(x.op, x.clock) for x in reported.clock_ops] == [("stop", "reply_forwarder")]
        assert fire(defn, case(defn, state, facts=dict(reported.facts)), closing, HEAD, payload, NOW).ok


# --- acceptance of a complaint before 01/07/2026: as the disciplinary complaint's (legal review 12/2026) -----------

@pytest.mark.parametrize("defn, article", [(KN, "Điều 27"), (KN2, "Điều 36")])
def test_complaint_acceptance_counts_as_lkn_says_until_working_days_came_in(defn, article) -> None:
    """LKN Art 27 and 36 say "10 ngày", like Art 50: calendar days until TT 02/2016 (05/12/2016) amended TT 07/2013
    Art 5(1) to 10 working days, then 7 working days from 01/07/2026."""
    def accept(received: date):
        op = initial_clock_ops(defn, case(defn, "received", received=received))[0]
        return op.rule, compute_due(op.rule, op.on, CAL).due_date

    rule, due = accept(date(2013, 5, 3))  # Friday: 10 calendar days end on Monday 13/05/2013
    assert (rule.unit, due) == ("calendar_days", date(2013, 5, 13))
    assert rule.basis == f"Luật Khiếu nại 2011, {article}"
    assert accept(date(2016, 12, 2))[1] == date(2016, 12, 12)  # as complaint_discipline: Fri 02/12 to Mon 12/12
    rule, due = accept(date(2016, 12, 5))
    assert (rule.unit, due) == ("working_days", date(2016, 12, 19))
    assert "Thông tư 07/2013/TT-TTCP, Điều 5 khoản 1" in rule.basis and "Thông tư 02/2016/TT-TTCP" in rule.basis
    assert accept(date(2026, 8, 27))[1] == date(2026, 9, 10)  # 7 working days past the National Day holiday
    discipline = initial_clock_ops(KNKL, case(KNKL, "received", received=date(2013, 5, 3)))[0]
    assert compute_due(discipline.rule, discipline.on, CAL).due_date == date(2013, 5, 13)


def test_a_complaint_letter_counts_its_acceptance_as_the_complaint_does() -> None:
    letter = REG.get("triage").clocks["complaint_acceptance"]
    for defn in (KN, KN2):
        own = defn.clocks["accept"]
        assert [(r.effective_from, r.effective_to, r.unit, dict(r.days)) for r in letter.rules] == \
            [(r.effective_from, r.effective_to, r.unit, dict(r.days)) for r in own.rules]
