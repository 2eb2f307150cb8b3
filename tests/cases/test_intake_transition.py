"""Registering a complaint and taking it through its steps, with its clocks, history and notifications."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from dvflow.models import Case, CaseEvent, Clock, Notification
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.errors import Conflict, Forbidden, NotFound, ServiceError
from dvflow.timeutil import TZ


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), TZ)


def complaint(org, received: date, **kw) -> IntakeInput:
    return IntakeInput(kind=kw.pop("kind", "complaint_first"), unit_id=kw.pop("unit", org["dept"]).id,
                       channel="walk_in", received_at=at(received), subject="Khiếu nại thu hồi đất",
                       parties=kw.pop("parties", [PartyInput(role="complainant", name="Nguyễn Văn An",
                                                             identity_number="001086000123")]), **kw)


def clock(session, case, name) -> Clock:
    return session.scalar(select(Clock).where(Clock.case_id == case.id, Clock.name == name,
                                              Clock.closed_at.is_(None)))


def test_register_starts_acceptance_clock_by_rule_in_force(session, workflows, org):
    u = org["users"]
    # received before 01/07/2026: 10 working days; from then: 7 (NĐ 155/2026 Art 10)
    old = register_case(session, workflows, u["reception"], complaint(org, date(2026, 6, 15)), at(date(2026, 6, 15), 10))
    new = register_case(session, workflows, u["reception"], complaint(org, date(2026, 11, 2)), at(date(2026, 11, 2), 10))
    assert old.tracking_code == "KN-2026-000001" and new.tracking_code == "KN-2026-000002"
    assert clock(session, old, "accept").days == 10 and clock(session, old, "accept").unit == "working_days"
    assert clock(session, new, "accept").days == 7
    # 7 working days after Mon 02/11/2026 (not counted): 03,04,05,06,09,10,11 -> Wed 11/11/2026
    assert clock(session, new, "accept").due_date == date(2026, 11, 11)
    event = session.scalar(select(CaseEvent).where(CaseEvent.case_id == new.id))
    assert event.action == "register" and event.legal_date == date(2026, 11, 2)
    assert session.scalars(select(Notification).where(Notification.case_id == new.id)).all()


def test_register_rejects_bad_input_and_writes_nothing(session, workflows, org):
    u = org["users"]
    with pytest.raises(ServiceError, match="sau thời điểm hiện tại"):
        register_case(session, workflows, u["reception"], complaint(org, date(2026, 12, 1)), at(date(2026, 11, 25)))
    with pytest.raises(ServiceError, match="Loại hồ sơ"):
        register_case(session, workflows, u["reception"], complaint(org, date(2026, 11, 2), kind="nonsense"),
                      at(date(2026, 11, 25)))
    with pytest.raises(Forbidden):
        register_case(session, workflows, u["other_head"], complaint(org, date(2026, 11, 2)), at(date(2026, 11, 25)))
    assert session.scalars(select(Case)).all() == []


def test_five_complainants_set_mass_flag(session, workflows, org):
    people = [PartyInput(role="complainant", name=f"Người {i}") for i in range(5)]
    case = register_case(session, workflows, org["users"]["reception"], complaint(org, date(2026, 11, 2), parties=people),
                         at(date(2026, 11, 3)))
    assert case.mass


def test_complaint_to_closure_with_clocks(session, workflows, org):
    u = org["users"]
    case = register_case(session, workflows, u["reception"], complaint(org, date(2026, 11, 2)), at(date(2026, 11, 2), 10))
    cases.assign(session, u["head"], case.id, u["handler"].id, at(date(2026, 11, 2), 11))
    cases.perform(session, workflows, u["head"], case.id, "accept",
                       {"decision_number": "01/QĐ", "decision_date": "2026-11-04"}, at(date(2026, 11, 4), 15))
    assert case.state == "accepted"
    resolve = clock(session, case, "resolve")
    # 30 days from 04/11/2026 -> 04/12/2026 (a Friday) (LKN Art 28)
    assert resolve.start_date == date(2026, 11, 4) and resolve.due_date == date(2026, 12, 4)
    assert session.scalar(select(Clock).where(Clock.case_id == case.id, Clock.name == "accept")).state == "met"
    for who, action, day, payload in [
        ("head", "verify", 5, {"verifier": "Tổ xác minh"}),
        ("handler", "verification_report", 20, {"report_date": "2026-11-20", "summary": "Đúng một phần"}),
        ("handler", "draft_decision", 21, {}),
        ("handler", "submit", 21, {"result": "right", "legal_basis": "Luật Đất đai 2024", "disposition": "cancel_all",
                                   "resolution": "Hủy bỏ quyết định thu hồi đất"}),
    ]:
        cases.perform(session, workflows, u[who], case.id, action, payload, at(date(2026, 11, day), 15))
    # a handler cannot approve; a head of another unit cannot even see the case
    with pytest.raises(Forbidden):
        cases.perform(session, workflows, u["handler"], case.id, "approve", {}, at(date(2026, 11, 22)))
    with pytest.raises(NotFound):
        cases.perform(session, workflows, u["other_head"], case.id, "approve", {}, at(date(2026, 11, 22)))
    # the head of the parent unit acts as head
    cases.perform(session, workflows, u["chair"], case.id, "approve", {}, at(date(2026, 11, 23), 15))
    defn = workflows.for_case(case)
    result_choice = next(f for f in defn.transition("issue_decision", "approved").fields if f.name == "result").choices[0][0]
    with pytest.raises(ServiceError, match="ngày|Ngày"):  # a decision dated in the future is refused
        cases.perform(session, workflows, u["head"], case.id, "issue_decision",
                           {"decision_number": "05/QĐ", "decision_date": "2026-12-30", "result": result_choice},
                           at(date(2026, 11, 24)))
    cases.perform(session, workflows, u["head"], case.id, "issue_decision",
                       {"decision_number": "05/QĐ", "decision_date": "2026-11-24", "result": result_choice},
                       at(date(2026, 11, 24), 15))
    assert session.scalar(select(Clock).where(Clock.case_id == case.id, Clock.name == "resolve")).state == "met"
    send = clock(session, case, "send_decision")
    assert send is not None and send.unit == "working_days"
    cases.perform(session, workflows, u["handler"], case.id, "send_decision", {"sent_on": "2026-11-25"},
                       at(date(2026, 11, 25), 10))
    assert case.status == "closed" and case.closed_at is not None
    actions = [e.action for e in session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                                 .order_by(CaseEvent.id))]
    assert actions == ["register", "assign", "accept", "verify", "verification_report", "draft_decision", "submit",
                       "approve", "issue_decision", "send_decision"]


def test_wrong_state_is_a_conflict_and_changes_nothing(session, workflows, org):
    u = org["users"]
    case = register_case(session, workflows, u["reception"], complaint(org, date(2026, 11, 2)), at(date(2026, 11, 2), 10))
    version = case.version
    with pytest.raises(Conflict):
        cases.perform(session, workflows, u["head"], case.id, "approve", {}, at(date(2026, 11, 3)))
    with pytest.raises(Conflict):
        cases.perform(session, workflows, u["head"], case.id, "accept",
                           {"decision_number": "1", "decision_date": "2026-11-03"}, at(date(2026, 11, 3)),
                           expected_version=version + 5)
    assert case.state == "received" and case.version == version


def test_suspension_pauses_and_resumption_moves_due_date(session, workflows, org):
    u = org["users"]
    case = register_case(session, workflows, u["reception"], complaint(org, date(2026, 11, 2)), at(date(2026, 11, 2), 10))
    cases.perform(session, workflows, u["head"], case.id, "accept",
                       {"decision_number": "01", "decision_date": "2026-11-04"}, at(date(2026, 11, 4), 15))
    defn = workflows.for_case(case)
    ground = next(f for f in defn.transition("suspend", "accepted").fields if f.name == "ground").choices[0][0]
    cases.perform(session, workflows, u["head"], case.id, "suspend",
                       {"decision_number": "02", "decision_date": "2026-11-10", "ground": ground},
                       at(date(2026, 11, 10), 15))
    resolve = clock(session, case, "resolve")
    assert case.status == "suspended" and resolve.state == "paused" and resolve.due_date is None
    assert resolve.next_escalation_at is None
    cases.perform(session, workflows, u["head"], case.id, "resume",
                       {"decision_number": "03", "decision_date": "2026-11-20"}, at(date(2026, 11, 20), 15))
    # used 6 days (05..10/11), 24 left from 20/11 -> 14/12/2026 (a Monday)
    assert resolve.state == "running" and resolve.due_date == date(2026, 12, 14)
    assert resolve.pauses == [{"start": "2026-11-10", "end": "2026-11-20"}]


def test_remote_area_unit_gets_longer_limit(session, workflows, org):
    u = org["users"]
    case = register_case(session, workflows, u["xa_reception"], complaint(org, date(2026, 11, 2), unit=org["remote"]),
                         at(date(2026, 11, 2), 10))
    cases.perform(session, workflows, u["xa_head"], case.id, "accept",
                       {"decision_number": "01", "decision_date": "2026-11-04"}, at(date(2026, 11, 4), 15))
    resolve = clock(session, case, "resolve")
    assert resolve.days == 45 and resolve.variant == "remote"


def test_denunciation_extension_cap(session, workflows, org):
    u = org["users"]
    data = complaint(org, date(2026, 10, 1), kind="denunciation",
                     parties=[PartyInput(role="denouncer", name="Người tố cáo")])
    case = register_case(session, workflows, u["reception"], data, at(date(2026, 10, 1), 10))
    assert case.confidential
    cases.perform(session, workflows, u["head"], case.id, "accept",
                       {"decision_number": "01", "decision_date": "2026-10-05"}, at(date(2026, 10, 5), 15))
    cases.perform(session, workflows, u["head"], case.id, "mark_complex",
                       {"document_number": "02", "document_date": "2026-10-06", "criteria": "Nhiều nội dung"},
                       at(date(2026, 10, 6), 15))
    ext = {"decision_number": "03", "decision_date": "2026-10-30", "days": 30, "reason": "Phức tạp"}
    cases.perform(session, workflows, u["head"], case.id, "extend", ext, at(date(2026, 10, 30), 15))
    resolve = clock(session, case, "resolve")
    # 30 + 30 days from 05/10/2026 -> 04/12/2026
    assert resolve.due_date == date(2026, 12, 4)
    with pytest.raises(ServiceError, match="gia hạn"):
        cases.perform(session, workflows, u["head"], case.id, "extend", {**ext, "decision_date": "2026-11-02"},
                           at(date(2026, 11, 2), 15))
    assert len(resolve.extensions) == 1
