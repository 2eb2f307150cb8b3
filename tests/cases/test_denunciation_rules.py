"""The denunciation rules of issue #15 through the case services (SQLite and PostgreSQL): the clocks stored with
their exact due dates across the 2026 National Day holiday (Mon 31/08 - Wed 02/09), and the steps that meet them."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from dvflow.models import Case, Clock
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.errors import Forbidden, ServiceError
from dvflow.timeutil import TZ


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), TZ)


def denunciation(session, workflows, org, received: date) -> Case:
    data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="letter", received_at=at(received, 9),
                       subject="Tố cáo cán bộ địa chính", parties=[PartyInput(role="denouncer", name="Nguyễn Văn An"),
                                                                   PartyInput(role="accused", name="Trần Văn B")])
    return register_case(session, workflows, org["users"]["reception"], data, at(received))


def act(session, workflows, org, case, action, day: date, user="head", **fields) -> Case:
    return cases.perform(session, workflows, org["users"][user], case.id, action, fields, at(day))


def clock(session, case, name) -> Clock:
    return session.scalar(select(Clock).where(Clock.case_id == case.id, Clock.name == name))


def accepted(session, workflows, org, received: date, on: date) -> Case:
    case = denunciation(session, workflows, org, received)
    return act(session, workflows, org, case, "accept", on, decision_number="1/QĐ", decision_date=on.isoformat())


def test_press_forwarded_denunciation_answered_within_20_days(session, workflows, org):
    case = denunciation(session, workflows, org, date(2026, 8, 11))
    act(session, workflows, org, case, "record_forwarding_body", date(2026, 8, 11),
        forwarded_by_body="press_or_authority", forwarder="Báo Nhân Dân")
    reply = clock(session, case, "forwarder_reply")
    # from receipt Tue 11/08 + 20 days = Mon 31/08, holiday to Wed 02/09: Thu 03/09
    assert (reply.start_date, reply.due_date, reply.state) == (date(2026, 8, 11), date(2026, 9, 3), "running")
    assert case.facts["forwarded_by_body"] == "press_or_authority"
    act(session, workflows, org, case, "notify_forwarder", date(2026, 8, 20), sent_on="2026-08-20")
    assert clock(session, case, "forwarder_reply").state == "met"


def test_conclusion_sent_and_assembly_forwarder_told(session, workflows, org):
    case = denunciation(session, workflows, org, date(2026, 8, 3))
    act(session, workflows, org, case, "record_forwarding_body", date(2026, 8, 3),
        forwarded_by_body="national_assembly", forwarder="Ban Dân nguyện")
    act(session, workflows, org, case, "accept", date(2026, 8, 4), decision_number="1/QĐ", decision_date="2026-08-04")
    with pytest.raises(ServiceError, match="Điều 56 khoản 2"):
        act(session, workflows, org, case, "verify", date(2026, 8, 5), verifier="Tổ 1", identity_removed=False)
    act(session, workflows, org, case, "verify", date(2026, 8, 5), verifier="Tổ 1", identity_removed=True)
    act(session, workflows, org, case, "verification_report", date(2026, 8, 10), report_date="2026-08-10",
        summary="Có vi phạm")
    act(session, workflows, org, case, "draft_decision", date(2026, 8, 20))
    act(session, workflows, org, case, "submit", date(2026, 8, 20), denounced_content="Nhận tiền khi làm thủ tục đất đai",
        legal_basis="Luật Cán bộ, công chức, Điều 18", result="correct", responsibilities="Ông Trần Văn B vi phạm",
        measures="Kiểm điểm")
    act(session, workflows, org, case, "approve", date(2026, 8, 20))
    act(session, workflows, org, case, "conclude", date(2026, 8, 27), conclusion_number="5/KL",
        conclusion_date="2026-08-27", result="correct")
    # Thu 27/08: Fri 28 (1), holiday, Thu 03/09 (2), Fri 04 (3), Mon 07 (4), Tue 08 (5), Wed 09 (6), Thu 10 (7)
    assert clock(session, case, "send_conclusion").due_date == date(2026, 9, 8)
    assert clock(session, case, "notify_conclusion").due_date == date(2026, 9, 8)
    assert clock(session, case, "forwarder_report").due_date == date(2026, 9, 10)
    act(session, workflows, org, case, "send_conclusion", date(2026, 9, 3), sent_on="2026-09-03",
        recipients="Ông Trần Văn B; Sở Tài nguyên và Môi trường")
    act(session, workflows, org, case, "act_on_conclusion", date(2026, 9, 3), acted_on="2026-09-03",
        measures="Kiểm điểm")
    act(session, workflows, org, case, "publish", date(2026, 9, 3), published_on="2026-09-03", form="website")
    with pytest.raises(ServiceError, match="thông báo kết luận cho người tố cáo"):
        act(session, workflows, org, case, "close", date(2026, 9, 3))
    act(session, workflows, org, case, "notify_conclusion", date(2026, 9, 4), sent_on="2026-09-04")
    act(session, workflows, org, case, "notify_forwarder", date(2026, 9, 4), sent_on="2026-09-04")
    assert {n: clock(session, case, n).state for n in ("send_conclusion", "notify_conclusion", "forwarder_report")} \
        == {"send_conclusion": "met", "notify_conclusion": "met", "forwarder_report": "met"}
    assert act(session, workflows, org, case, "close", date(2026, 9, 4)).state == "closed"


def test_suspension_and_termination_decisions_are_sent_within_5_working_days(session, workflows, org):
    case = accepted(session, workflows, org, date(2026, 8, 3), date(2026, 8, 4))
    act(session, workflows, org, case, "suspend", date(2026, 8, 26), decision_number="3/QĐ",
        decision_date="2026-08-26", ground="awaiting_assessment")
    # Wed 26/08: Thu 27 (1), Fri 28 (2), holiday, Thu 03/09 (3), Fri 04 (4), Mon 07 (5)
    assert clock(session, case, "deliver_suspension").due_date == date(2026, 9, 7)
    act(session, workflows, org, case, "send_suspension_decision", date(2026, 8, 27), sent_on="2026-08-27")
    assert clock(session, case, "deliver_suspension").state == "met"
    act(session, workflows, org, case, "terminate", date(2026, 8, 28), decision_number="4/QĐ",
        decision_date="2026-08-28", ground="already_settled")
    assert (case.state, case.status) == ("termination_decided", "open")
    assert clock(session, case, "resolve").state == "cancelled"
    # Fri 28/08: holiday and weekend to Wed 02/09; Thu 03 (1), Fri 04 (2), Mon 07 (3), Tue 08 (4), Wed 09 (5)
    assert clock(session, case, "deliver_termination").due_date == date(2026, 9, 9)
    act(session, workflows, org, case, "send_termination_decision", date(2026, 9, 3), sent_on="2026-09-03")
    assert (case.state, case.status, clock(session, case, "deliver_termination").state) == \
        ("terminated", "closed", "met")


def test_forwarding_is_refused_to_a_handler(session, workflows, org):
    case = denunciation(session, workflows, org, date(2026, 8, 3))
    act(session, workflows, org, case, "mark_not_competent", date(2026, 8, 4))
    payload = {"to_body": "UBND tỉnh", "forwarded_on": "2026-08-05", "denouncer_notified_on": "2026-08-05"}
    with pytest.raises((Forbidden, ServiceError)):
        act(session, workflows, org, case, "forward", date(2026, 8, 5), user="handler", **payload)
    act(session, workflows, org, case, "forward", date(2026, 8, 5), **payload)
    assert case.state == "forwarded" and clock(session, case, "forward").state == "met"


def test_superior_demands_a_report_then_takes_over(session, workflows, org):
    case = denunciation(session, workflows, org, date(2026, 8, 26))
    act(session, workflows, org, case, "record_repeat", date(2026, 8, 26), repeat_of="overdue",
        earlier_case="UBND xã A, TC-2026-000007")
    assert clock(session, case, "initial").state == "cancelled"
    assert clock(session, case, "demand_report").due_date == date(2026, 9, 7)  # Wed 26/08 + 5 wd
    act(session, workflows, org, case, "demand_report", date(2026, 8, 27), document_number="15/CV",
        demanded_on="2026-08-27")
    assert clock(session, case, "demand_report").state == "met"
    assert clock(session, case, "subordinate_report").due_date == date(2026, 9, 8)  # Thu 27/08 + 5 wd
    act(session, workflows, org, case, "record_subordinate_report", date(2026, 9, 4), report_date="2026-09-04",
        summary="Chậm do chờ giám định")
    act(session, workflows, org, case, "accept", date(2026, 9, 4), decision_number="20/QĐ", decision_date="2026-09-04")
    resolve = clock(session, case, "resolve")
    # the takeover's own acceptance starts the limit anew: Fri 04/09 + 30 = Sun 04/10 -> Mon 05/10
    assert (resolve.start_date, resolve.due_date) == (date(2026, 9, 4), date(2026, 10, 5))
