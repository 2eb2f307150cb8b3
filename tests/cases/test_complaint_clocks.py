"""The complaint clocks of the December 2026 legal audit, applied through the services (SQLite and PostgreSQL):
the report to a forwarding body (LTCD Art 27(2)), the delivery of a suspension decision (NĐ 124/2020 Art 28b), and the
complainant's windows, which are shown but never stored as running clocks. Vietnamese Culture Day (Tue 24/11/2026)
is a holiday in the calendar, so the working-day counts step over it."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from dvflow.models import Clock
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.deadlines import windows
from dvflow.services.deadlines.calendar import load_calendar
from dvflow.services.errors import ServiceError
from dvflow.timeutil import TZ


def _at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime.combine(date(2026, month, day), time(hour), TZ)


def _accepted(session, workflows, org, **accept):
    u = org["users"]
    data = IntakeInput(kind="complaint_first", unit_id=org["dept"].id, channel="letter", received_at=_at(11, 2, 9),
                       subject="Khiếu nại thu hồi đất", parties=[PartyInput(role="complainant", name="Nguyễn Văn An")])
    case = register_case(session, workflows, u["reception"], data, _at(11, 2))
    cases.perform(session, workflows, u["head"], case.id, "accept",
                  {"decision_number": "01", "decision_date": "2026-11-04", **accept}, _at(11, 4))
    return case


def _clock(session, case, name: str) -> Clock:
    return session.scalars(select(Clock).where(Clock.case_id == case.id, Clock.name == name)).one()


def test_a_forwarded_complaint_reports_its_result_before_it_closes(session, org, workflows):
    u = org["users"]
    case = _accepted(session, workflows, org, forwarded_by_body="national_assembly")
    cases.perform(session, workflows, u["head"], case.id, "record_known_date", {"known_on": "2026-08-26"}, _at(11, 5))
    draft = {"result": "right", "legal_basis": "Luật Đất đai 2024", "disposition": "cancel_all", "resolution": "Hủy bỏ"}
    for action, fields in (("draft_decision", {}), ("submit", draft), ("approve", {})):
        cases.perform(session, workflows, u["head"], case.id, action, fields, _at(11, 19))
    cases.perform(session, workflows, u["head"], case.id, "issue_decision",
                  {"decision_number": "05/QĐ", "decision_date": "2026-11-20", "result": "right"}, _at(11, 20))
    reply = _clock(session, case, "reply_forwarder")
    assert reply.due_date == date(2026, 12, 2)  # Fri 20/11: 23, 25, 26, 27, 30/11, 01, 02/12 (24/11 is a holiday)
    assert reply.unit == "working_days" and "Điều 27 khoản 2" in reply.basis
    with pytest.raises(ServiceError) as refused:
        cases.perform(session, workflows, u["handler"], case.id, "send_decision", {"sent_on": "2026-11-23"},
                      _at(11, 23))
    assert "Điều 27 khoản 2" in str(refused.value)
    cases.perform(session, workflows, u["handler"], case.id, "report_to_forwarder", {"reported_on": "2026-11-23"},
                  _at(11, 23))
    session.refresh(reply)
    assert reply.state == "met" and reply.closed_at is not None
    cases.perform(session, workflows, u["handler"], case.id, "send_decision", {"sent_on": "2026-11-25"}, _at(11, 25))
    session.refresh(case)
    assert case.status == "closed"
    shown = {w.clock: w.until for w in windows.windows_of(session, case, workflows.for_case(case, session),
                                                          load_calendar(session))}
    assert shown == {"limitation": date(2026, 11, 25),  # 90 days from 26/08 end on 24/11 (a holiday)
                     "second_complaint_window": date(2026, 12, 25),  # 30 days from 25/11
                     "decision_effective": date(2026, 12, 21)}  # 30 days from 20/11 end on Sunday 20/12
    names = set(session.scalars(select(Clock.name).where(Clock.case_id == case.id)))
    assert not names & set(shown)  # information clocks are never stored: never overdue, never escalated


def test_a_suspension_decision_is_sent_in_three_working_days(session, org, workflows):
    u = org["users"]
    case = _accepted(session, workflows, org)
    cases.perform(session, workflows, u["head"], case.id, "suspend",
                  {"decision_number": "3/QĐ", "decision_date": "2026-11-20", "ground": "objective_obstacle"},
                  _at(11, 20))
    send = _clock(session, case, "send_suspension")
    assert send.due_date == date(2026, 11, 26)  # Fri 20/11: 23, 25, 26/11
    cases.perform(session, workflows, u["handler"], case.id, "send_suspension_decision", {"sent_on": "2026-11-23"},
                  _at(11, 23))
    session.refresh(send)
    assert send.state == "met"
    assert _clock(session, case, "resolve").state == "paused"
