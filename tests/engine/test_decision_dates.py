"""Decisions judged by their own legal dates (legal review 12/2026): a complaint's suspension exists only from
01/07/2026 (Luật Khiếu nại Điều 11a, added by Luật 136/2025/QH15; NĐ 155/2026 Điều 22 khoản 1), and an extension,
a suspension or a finding of complexity dated before a clock's last day counts even when entered after it (the
scheduler may have marked the clock missed meanwhile), while one dated after it does not."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from dvflow.engine.calendar import WorkCalendar
from dvflow.engine.deadlines import compute_due
from dvflow.engine.types import Actor, CaseView, ClockView, Outcome, Pause, Rejection
from dvflow.engine.workflow import available_actions, fire, load_all

REG = load_all(Path(__file__).resolve().parents[2] / "workflows")
TC, KN = REG.get("denunciation"), REG.get("complaint_first")
HEAD = Actor(1, frozenset({"head", "handler"}), is_head=True)
CAL = WorkCalendar()
PARTIES = {"party_roles": ["denouncer", "complainant"]}
ENTERED = datetime(2026, 10, 5, 2, tzinfo=timezone.utc)  # 05/10/2026, after the due date 01/10/2026
SUSPENSION = {"decision_number": "5/QĐ", "ground": "objective_obstacle"}


def ops(outcome: Outcome, clock: str = "resolve") -> list[tuple[str, date]]:
    return [(o.op, o.on) for o in outcome.clock_ops if o.clock == clock]


# --- the suspension of a complaint before 01/07/2026 ---------------------------------------------------------------

@pytest.mark.parametrize("kind", ["complaint_first", "complaint_second", "complaint_discipline"])
def test_a_complaint_suspension_dated_before_july_2026_is_refused_with_its_basis(kind):
    defn = REG.get(kind)
    case = CaseView(kind=kind, state="verifying", status="open", received_on=date(2026, 5, 25),
                    last_event_on=date(2026, 6, 1), facts=PARTIES,
                    clocks={"resolve": ClockView("resolve", "running", date(2026, 6, 1), due_on=date(2026, 7, 1))})
    refused = fire(defn, case, "suspend", HEAD, {**SUSPENSION, "decision_date": "2026-06-10"}, ENTERED)
    assert isinstance(refused, Rejection) and refused.code == "date" and refused.field == "decision_date"
    assert "01/07/2026" in refused.text and "10/06/2026" in refused.text
    assert "Điều 11a" in refused.text and "Điều 22 khoản 1" in refused.text
    # from 01/07/2026 it applies to this complaint accepted before (NĐ 155/2026 Art 22(1)), while its limit runs
    late = CaseView(kind=kind, state="verifying", status="open", received_on=date(2026, 5, 25),
                    last_event_on=date(2026, 6, 1), facts=PARTIES,
                    clocks={"resolve": ClockView("resolve", "running", date(2026, 6, 15), due_on=date(2026, 7, 15))})
    ok = fire(defn, late, "suspend", HEAD, {**SUSPENSION, "decision_date": "2026-07-01"}, ENTERED)
    assert isinstance(ok, Outcome), ok
    assert ops(ok)[0] == ("pause", date(2026, 7, 1))


def test_without_the_refused_suspension_the_limit_ends_on_1_july_2026():
    rule = KN.clocks["resolve"].choose_rule(date(2026, 6, 1), frozenset(), False)
    assert compute_due(rule, date(2026, 6, 1), CAL).due_date == date(2026, 7, 1)


# --- a timely decision entered after the due date -----------------------------------------------------------------

def overdue(defn, state: str, flags=frozenset(), due_on: date | None = date(2026, 10, 1)) -> CaseView:
    """Accepted 01/09/2026: 30 days end on 01/10/2026; the scheduler has marked the clock missed."""
    return CaseView(kind=defn.id, state=state, status="open", received_on=date(2026, 8, 25), flags=flags,
                    last_event_on=date(2026, 9, 1), facts=PARTIES,
                    clocks={"resolve": ClockView("resolve", "overdue", date(2026, 9, 1), due_on=due_on)})


EXTENSION = {"decision_number": "7/QĐ-GH", "days": 30, "reason": "phức tạp"}


def test_a_denunciation_extension_decided_before_the_due_date_counts_when_entered_after_it():
    o = fire(TC, overdue(TC, "verifying", frozenset({"complex"})), "extend", HEAD,
             {**EXTENSION, "decision_date": "2026-09-28"}, ENTERED)
    assert isinstance(o, Outcome), o
    [(op, on)] = ops(o)
    assert (op, on) == ("extend", date(2026, 9, 28))
    ext = next(x.extension for x in o.clock_ops if x.op == "extend")
    rule = TC.clocks["resolve"].choose_rule(date(2026, 9, 1), frozenset({"complex"}), False)
    # Luật Tố cáo 2018, Điều 30 khoản 2: 30 days from 01/09 + 30 = Saturday 31/10/2026, so Monday 02/11 (BLDS Art 148)
    assert compute_due(rule, date(2026, 9, 1), CAL, (), [ext]).due_date == date(2026, 11, 2)


def test_an_extension_dated_after_the_due_date_is_refused_by_its_date():
    for state in ("overdue", "running"):  # whether or not the scheduler has marked it yet
        case = replace(overdue(TC, "verifying", frozenset({"complex"})),
                       clocks={"resolve": ClockView("resolve", state, date(2026, 9, 1), due_on=date(2026, 10, 1))})
        o = fire(TC, case, "extend", HEAD, {**EXTENSION, "decision_date": "2026-10-02"}, ENTERED)
        assert isinstance(o, Rejection) and o.code == "limit", (state, o)
        assert "01/10/2026" in o.text and "02/10/2026" in o.text and "Điều 30" in o.text


def test_an_overdue_clock_without_a_known_due_date_is_not_extended():
    o = fire(TC, overdue(TC, "verifying", frozenset({"complex"}), due_on=None), "extend", HEAD,
             {**EXTENSION, "decision_date": "2026-09-28"}, ENTERED)
    assert isinstance(o, Rejection) and o.code == "limit"


def test_the_extension_is_offered_on_an_overdue_clock_while_a_timely_decision_may_still_be_entered():
    [spec] = [a for a in available_actions(TC, overdue(TC, "verifying", frozenset({"complex"})), HEAD)
              if a.trigger == "extend"]
    assert spec.allowed, spec.reason


def test_a_complexity_document_dated_before_the_due_date_lengthens_a_first_complaint_to_45_days():
    o = fire(KN, overdue(KN, "verifying"), "mark_complex", HEAD,
             {"document_number": "3/VB", "document_date": "2026-09-25", "criteria": "Điều 3a khoản 1 điểm b"},
             ENTERED)
    assert isinstance(o, Outcome), o
    [ext] = [x.extension for x in o.clock_ops if x.clock == "resolve" and x.op == "extend"]
    assert (ext.days, ext.decided_on) == (15, date(2026, 9, 25))
    rule = KN.clocks["resolve"].choose_rule(date(2026, 9, 1), frozenset(), False)
    assert compute_due(rule, date(2026, 9, 1), CAL, (), [ext]).due_date == date(2026, 10, 16)  # LKN Art 28: 45 d


def test_a_complexity_document_dated_after_the_due_date_lengthens_nothing():
    o = fire(KN, overdue(KN, "verifying"), "mark_complex", HEAD,
             {"document_number": "3/VB", "document_date": "2026-10-03", "criteria": "Điều 3a khoản 1 điểm b"},
             ENTERED)
    assert isinstance(o, Outcome) and ops(o) == []


def test_a_suspension_dated_before_the_due_date_pauses_the_clock_when_entered_after_it():
    o = fire(KN, overdue(KN, "verifying"), "suspend", HEAD, {**SUSPENSION, "decision_date": "2026-09-25"}, ENTERED)
    assert isinstance(o, Outcome), o
    assert ops(o) == [("pause", date(2026, 9, 25))]
    rule = KN.clocks["resolve"].choose_rule(date(2026, 9, 1), frozenset(), False)
    # 24 days used to 25/09; continued on 20/10: 6 days left, 26/10/2026
    assert compute_due(rule, date(2026, 9, 1), CAL, [Pause(date(2026, 9, 25), date(2026, 10, 20))]).due_date \
        == date(2026, 10, 26)


def test_a_suspension_dated_after_the_due_date_does_not_pause_it():
    for state in ("overdue", "running"):
        case = CaseView(kind=KN.id, state="verifying", status="open", received_on=date(2026, 8, 25),
                        last_event_on=date(2026, 9, 1), facts=PARTIES,
                        clocks={"resolve": ClockView("resolve", state, date(2026, 9, 1), due_on=date(2026, 10, 1))})
        o = fire(KN, case, "suspend", HEAD, {**SUSPENSION, "decision_date": "2026-10-02"}, ENTERED)
        assert isinstance(o, Outcome) and o.to_state == "suspended"
        assert ops(o) == [], state
