"""The time of an expert assessment is not counted in a denunciation's resolution limit (Nghị định 31/2019/NĐ-CP,
Điều 15 khoản 4), through the case services: accepted 01/09/2026, assessment requested 10/09 and its conclusion
received 12/10/2026, the limit ends on 02/11/2026 instead of 01/10/2026."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import select

from dvflow.models import Clock
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.timeutil import TZ


def at(day: date) -> datetime:
    return datetime.combine(day, time(10), TZ)


def test_the_assessment_pauses_the_stored_resolution_clock(session, workflows, org):
    data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="letter", received_at=at(date(2026, 8, 25)),
                       subject="Tố cáo sai phạm xây dựng", parties=[PartyInput(role="denouncer", name="Nguyễn Văn An"),
                                                                    PartyInput(role="accused", name="Trần Văn B")])
    case = register_case(session, workflows, org["users"]["reception"], data, at(date(2026, 8, 25)))
    head = org["users"]["head"]

    def act(action: str, day: date, **fields):
        cases.perform(session, workflows, head, case.id, action, fields, at(day))

    act("accept", date(2026, 9, 1), decision_number="1/QĐ", decision_date="2026-09-01")
    resolve = session.scalar(select(Clock).where(Clock.case_id == case.id, Clock.name == "resolve"))
    assert resolve.due_date == date(2026, 10, 1)
    act("request_assessment", date(2026, 9, 10), document_number="9/TCGĐ", requested_on="2026-09-10",
        assessor="Sở Xây dựng")
    assert (resolve.state, resolve.due_date) == ("paused", None)
    act("receive_assessment", date(2026, 10, 12), received_on="2026-10-12", conclusion_number="15/KLGĐ")
    assert (resolve.state, resolve.due_date) == ("running", date(2026, 11, 2))
    assert resolve.pauses == [{"start": "2026-09-10", "end": "2026-10-12"}]
