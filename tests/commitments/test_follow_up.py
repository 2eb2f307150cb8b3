"""Commitments (issue #17, items 2 and 5): a conclusion task or a dialogue's commitment is a follow-up case whose clock
counts the time frame it was given and escalates like any other clock when it runs late."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from dvflow.models import (
    Case,
    Clock,
    Commitment,
    EscalationRecord,
    Notification,
    ReceptionSession,
)
from dvflow.services import commitments
from dvflow.services.cases.actions import perform
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.commitments import CommitmentInput
from dvflow.services.deadlines.sweep import sweep
from dvflow.services.errors import Forbidden, ServiceError
from dvflow.timeutil import TZ

GIVEN = date(2026, 11, 23)  # Monday: the conclusion notice's day
NOW = datetime.combine(date(2026, 11, 25), time(9), TZ)


def reception_session(session, org) -> ReceptionSession:
    row = ReceptionSession(unit_id=org["province"].id, kind="periodic", mode="in_person", day=GIVEN,
                           start_time=time(8), end_time=time(11), place="Trụ sở tiếp công dân tỉnh", status="held",
                           created_at=NOW)
    session.add(row)
    session.flush()
    return row


def task(session, workflows, org, *, days=15, unit="dept", actor="chair", **kw) -> Commitment:
    held = reception_session(session, org)
    data = CommitmentInput(source="reception_conclusion", unit_id=org[unit].id, session_id=held.id,
                           description="Kiểm tra, trả lời việc cấp giấy chứng nhận cho bà Lê Thị Hoa", days=days,
                           start_on=GIVEN, promised_by="Chủ tịch UBND tỉnh", **kw)
    row = commitments.create(session, workflows, org["users"][actor], data, NOW)
    session.flush()
    return row


def clock_of(session, case_id: int, name: str = "carry_out") -> Clock:
    return session.scalars(select(Clock).where(Clock.case_id == case_id, Clock.name == name)
                           .order_by(Clock.id.desc())).first()


def test_a_conclusion_task_opens_a_follow_up_case_in_the_responsible_unit(session, workflows, org):
    row = task(session, workflows, org)
    case = session.get(Case, row.case_id)
    assert (case.kind, case.state, case.status, case.channel) == ("follow_up", "assigned", "open", "assigned")
    assert case.unit_id == org["dept"].id and case.tracking_code.startswith("TD-")
    assert row.source == "reception_conclusion" and row.promised_by == "Chủ tịch UBND tỉnh"
    assert commitments.of_session(session, row.session_id) == [row]
    clock = clock_of(session, case.id)
    # 15 days from Monday 23/11 (not counted): Tuesday 08/12
    assert (clock.days, clock.unit, clock.start_date, clock.due_date) == (15, "calendar_days", GIVEN,
                                                                          date(2026, 12, 8))
    assert "15 ngày" in clock.rule_label and "Nghị định 154/2026" in clock.basis


def test_a_late_follow_up_escalates_up_the_unit_tree_like_any_clock(session, workflows, org):
    row = task(session, workflows, org, days=10)
    clock = clock_of(session, row.case_id)
    assert clock.due_date == date(2026, 12, 3)
    late = datetime.combine(date(2026, 12, 21), time(9), TZ)  # more than 10 working days after the due day
    report = sweep(session, now=late, ladder=workflows.ladder)
    assert {s.step for s in report.fired if s.clock_id == clock.id} == {"before_3", "due", "after_3", "after_10"}
    fired = session.scalars(select(EscalationRecord.step_key).where(EscalationRecord.clock_id == clock.id)).all()
    assert sorted(fired) == ["after_10", "after_3", "before_3", "due"]
    session.expire_all()
    case = session.get(Case, row.case_id)
    assert session.get(Clock, clock.id).state == "missed"
    assert case.priority and case.escalation_level >= 1
    told = set(session.scalars(select(Notification.user_id).where(Notification.case_id == case.id)))
    assert org["users"]["chair"].id in told  # the head of the unit above (the province), who gave the task
    # a second sweep fires nothing again
    again = sweep(session, now=late + timedelta(hours=2), ladder=workflows.ladder)
    assert not [s for s in again.fired if s.clock_id == clock.id]


def test_reported_in_time_meets_the_clock_and_a_send_back_restarts_it(session, workflows, org):
    row = task(session, workflows, org, days=20)
    head = org["users"]["head"]
    perform(session, workflows, head, row.case_id, "report",
            {"reported_on": "2026-11-25", "result": "Đã kiểm tra hồ sơ, trả lời bằng văn bản"}, NOW)
    assert clock_of(session, row.case_id).state == "met"
    chair = org["users"]["chair"]
    perform(session, workflows, chair, row.case_id, "send_back",
            {"returned_on": "2026-11-25", "reason": "Chưa trả lời bà Hoa bằng văn bản", "follow_up_days": 5}, NOW)
    again = clock_of(session, row.case_id, "carry_out_again")
    assert (again.days, again.start_date, again.due_date, again.state) == (5, date(2026, 11, 25), date(2026, 11, 30),
                                                                          "running")
    later = NOW + timedelta(days=2)
    perform(session, workflows, head, row.case_id, "report", {"reported_on": "2026-11-27", "result": "Đã trả lời"},
            later)
    perform(session, workflows, chair, row.case_id, "confirm", {"confirmed_on": "2026-11-27"}, later)
    case = session.get(Case, row.case_id)
    assert (case.state, case.status) == ("done", "closed")
    assert clock_of(session, row.case_id, "carry_out_again").state == "met"


def test_a_dialogue_commitment_is_listed_with_its_complaint(session, workflows, org):
    complaint = register_case(session, workflows, org["users"]["reception"], IntakeInput(
        kind="complaint_first", unit_id=org["dept"].id, channel="walk_in", received_at=NOW - timedelta(days=20),
        subject="Khiếu nại bồi thường", parties=[PartyInput(role="complainant", name="Trần Văn Bình")]), NOW)
    row = commitments.create(session, workflows, org["users"]["handler"], CommitmentInput(
        source="dialogue", unit_id=org["dept"].id, origin_case_id=complaint.id, days=30,
        description="Đo đạc lại diện tích thửa đất số 12"), NOW)
    assert commitments.of_case(session, complaint.id) == [row]
    assert clock_of(session, row.case_id).start_date == date(2026, 11, 25)


@pytest.mark.parametrize("change, field", [
    ({"days": 0}, "days"), ({"days": 366}, "days"), ({"description": "  "}, "description"),
    ({"description": "x" * 501}, "description"), ({"unit_id": 99999}, "unit_id"), ({"source": "other"}, "source"),
    ({"start_on": date(2026, 11, 26)}, "start_on"), ({"session_id": None}, "session_id"),
    ({"visit_id": 123456}, "visit_id"),
])
def test_bad_input_names_the_field_and_writes_nothing(session, workflows, org, change, field):
    held = reception_session(session, org)
    values = dict(source="reception_conclusion", unit_id=org["dept"].id, session_id=held.id, days=10,
                  description="Trả lời công dân")
    values.update(change)
    before = session.scalar(select(Case.id).order_by(Case.id.desc()).limit(1))
    with pytest.raises(ServiceError) as refused:
        commitments.create(session, workflows, org["users"]["chair"], CommitmentInput(**values), NOW)
    assert refused.value.field == field
    assert session.scalar(select(Case.id).order_by(Case.id.desc()).limit(1)) == before


def test_a_task_goes_only_to_the_actors_unit_or_below(session, workflows, org):
    with pytest.raises(Forbidden):
        task(session, workflows, org, unit="other", actor="head")  # a department head cannot task another department
    assert task(session, workflows, org, unit="other", actor="chair").case_id  # the province's chair can


def test_a_follow_up_is_never_registered_at_the_reception_desk(session, workflows, org):
    with pytest.raises(ServiceError) as refused:
        register_case(session, workflows, org["users"]["reception"], IntakeInput(
            kind="follow_up", unit_id=org["dept"].id, channel="walk_in", received_at=NOW, subject="Việc"), NOW)
    assert refused.value.field == "kind"


def test_the_intake_channels_do_not_offer_assigned(session, workflows, org):
    with pytest.raises(ServiceError) as refused:
        register_case(session, workflows, org["users"]["reception"], IntakeInput(
            kind="petition", unit_id=org["dept"].id, channel="assigned", received_at=NOW, subject="Kiến nghị",
            parties=[PartyInput(role="petitioner", name="Lê Văn C")]), NOW)
    assert refused.value.field == "channel"
