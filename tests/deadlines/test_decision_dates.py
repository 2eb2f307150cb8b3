"""A timely decision entered after the due date, through the case services and the sweep (legal review 12/2026).

A denunciation accepted 01/09/2026 must be resolved by 01/10/2026 (Luật Tố cáo 2018, Điều 30 khoản 1). The head
extends it by a decision of 28/09/2026 (Điều 30 khoản 2) but it is entered on 09/10/2026, after the sweep marked the
clock missed on 01/10 and escalated it five working days later. The extension counts by its date: the clock runs
again until Monday 02/11/2026 (31/10 is a Saturday), its escalation of 08/10 stays in the history, and the steps of
the new due date fire once each when their time comes.
"""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import select

from dvflow.models import CaseEvent, Clock, EscalationRecord
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.deadlines.sweep import sweep
from dvflow.timeutil import TZ


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), TZ)


def act(session, workflows, org, case, action, day: date, **fields):
    return cases.perform(session, workflows, org["users"]["head"], case.id, action, fields, at(day))


def resolve_clock(session, case) -> Clock:
    return session.scalar(select(Clock).where(Clock.case_id == case.id, Clock.name == "resolve",
                                              Clock.closed_at.is_(None)))


def keys(session, clock) -> list[str]:
    return sorted(session.scalars(select(EscalationRecord.step_key).where(EscalationRecord.clock_id == clock.id)))


def run_sweep(session, workflows, day: date, hour: int = 10):
    return sweep(session, now=at(day, hour), ladder=workflows.ladder)


def complex_denunciation(session, workflows, org):
    data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="letter", received_at=at(date(2026, 8, 25), 9),
                       subject="Tố cáo cán bộ địa chính", assignee_id=org["users"]["handler"].id,
                       parties=[PartyInput(role="denouncer", name="Nguyễn Văn An"),
                                PartyInput(role="accused", name="Trần Văn B")])
    case = register_case(session, workflows, org["users"]["reception"], data, at(date(2026, 8, 25)))
    act(session, workflows, org, case, "accept", date(2026, 9, 1), decision_number="1/QĐ", decision_date="2026-09-01")
    act(session, workflows, org, case, "mark_complex", date(2026, 9, 10), document_number="2/VB",
        document_date="2026-09-10", criteria="Điều 3 khoản 2 điểm b")
    return case


def test_an_extension_decided_before_the_due_date_and_entered_after_it_brings_the_clock_back(session, workflows,
                                                                                            org):
    case = complex_denunciation(session, workflows, org)
    clock = resolve_clock(session, case)
    assert clock.due_date == date(2026, 10, 1)
    run_sweep(session, workflows, date(2026, 10, 9))  # due on 01/10, escalated 5 working days later (08/10)
    assert clock.state == "missed" and case.escalation_level == 1
    assert keys(session, clock) == ["after_5", "before_1", "before_5", "due"]

    act(session, workflows, org, case, "extend", date(2026, 10, 9), decision_number="7/QĐ-GH",
        decision_date="2026-09-28", days=30, reason="Vụ việc phức tạp")

    clock = resolve_clock(session, case)
    assert (clock.state, clock.due_date) == ("running", date(2026, 11, 2))
    assert clock.next_step_key == "before_5"  # five working days before 02/11: 26/10
    fired = session.scalars(select(EscalationRecord).where(EscalationRecord.clock_id == clock.id)).all()
    assert sorted(r.step_key.split("@")[0] for r in fired) == ["after_5", "before_1", "before_5", "due"]
    assert all("@" in r.step_key for r in fired)  # kept, under a key that lets each step fire again
    escalated = [e.payload["step"] for e in session.scalars(select(CaseEvent).where(
        CaseEvent.case_id == case.id, CaseEvent.action == "escalate").order_by(CaseEvent.id))
        if e.payload["clock"] == "resolve"]
    assert escalated == ["before_5", "before_1", "due", "after_5"]  # the late escalation stays in the history

    assert run_sweep(session, workflows, date(2026, 10, 20)).fired == []
    report = run_sweep(session, workflows, date(2026, 11, 3))  # 02/11 passed without a conclusion
    assert [s.step for s in report.fired] == ["before_5", "before_1", "due"]
    assert clock.state == "missed"
    assert run_sweep(session, workflows, date(2026, 11, 3), 11).fired == []  # exactly once


def test_a_timely_suspension_entered_late_pauses_the_missed_clock_and_its_continuation_restarts_it(
        session, workflows, org):
    case = complex_denunciation(session, workflows, org)
    run_sweep(session, workflows, date(2026, 10, 2))
    clock = resolve_clock(session, case)
    assert clock.state == "missed"
    act(session, workflows, org, case, "suspend", date(2026, 10, 5), decision_number="4/QĐ",
        decision_date="2026-09-25", ground="awaiting_other_body")
    assert (clock.state, clock.due_date, clock.next_step_key) == ("paused", None, None)
    act(session, workflows, org, case, "resume", date(2026, 10, 20), decision_number="5/QĐ",
        decision_date="2026-10-20")
    # 24 days used to 25/09, 6 left from 20/10: 26/10/2026; its reminder five working days before is past already
    assert (clock.state, clock.due_date, clock.next_step_key) == ("running", date(2026, 10, 26), "before_1")


def test_a_continuation_still_past_the_new_due_date_leaves_the_clock_missed(session, workflows, org):
    case = complex_denunciation(session, workflows, org)
    run_sweep(session, workflows, date(2026, 10, 2))
    act(session, workflows, org, case, "suspend", date(2026, 10, 5), decision_number="4/QĐ",
        decision_date="2026-09-30", ground="awaiting_other_body")
    act(session, workflows, org, case, "resume", date(2026, 10, 8), decision_number="5/QĐ",
        decision_date="2026-10-02")
    clock = resolve_clock(session, case)
    # 29 days used to 30/09, 1 left from 02/10: 03/10, already past on 08/10; its marking step fired on 01/10
    assert (clock.state, clock.due_date) == ("missed", date(2026, 10, 5))


def test_a_step_given_back_fires_again_but_escalates_once_for_one_lateness(session, workflows, org):
    """after_5 raised the level and gave priority for a lateness the extension dated in time then undid; if the case
    runs late again, the step tells again but raises no second level (Luật Tố cáo 2018, Điều 38: one escalation)."""
    case = complex_denunciation(session, workflows, org)
    run_sweep(session, workflows, date(2026, 10, 9))  # missed; after_5 fired: level 1, priority
    assert case.escalation_level == 1
    act(session, workflows, org, case, "extend", date(2026, 10, 9), decision_number="7/QĐ-GH",
        decision_date="2026-09-28", days=30, reason="Vụ việc phức tạp")
    run_sweep(session, workflows, date(2026, 11, 12))  # late again against 02/11: the steps fire once more
    clock = resolve_clock(session, case)
    assert "after_5" in keys(session, clock) and any(k.startswith("after_5@") for k in keys(session, clock))
    assert case.escalation_level == 1 and case.priority
    [again] = session.scalars(select(EscalationRecord).where(EscalationRecord.clock_id == clock.id,
                                                            EscalationRecord.step_key == "after_5")).all()
    assert any(a["action"] == "raise_level" and a["changed"] is False for a in again.detail["actions"])
