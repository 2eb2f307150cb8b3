"""The letter's clocks against the law: the report to the superior fires before the 45th day from receipt (Nghị
định 154/2026/NĐ-CP, Điều 41 khoản 3 điểm b), whatever holidays fall in between; a complaint against a disciplinary
decision counts the days its own workflow counts (Luật Khiếu nại 2011, Điều 50: 10 calendar days until
04/12/2016)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from dvflow.engine.deadlines import compute_due, step_due_at
from dvflow.models import Case, Clock
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.deadlines.calendar import load_calendar
from dvflow.timeutil import TZ, local_date

FORTY_FIVE = 45  # days from receipt (the day of receipt not counted)


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


@pytest.mark.parametrize("clock", ["triage", "letter_reply"])
def test_the_report_to_the_superior_comes_before_the_45th_day(session, workflows, clock):
    spec = workflows.latest("triage").clocks[clock]
    step = next(s for s in spec.ladder if "parent_head" in s.notify)
    calendar = load_calendar(session)
    # 2026 (78 receipt dates fell after the mark with 20 working days) and the longest Tết break (2015)
    for received in [*_days(date(2026, 1, 1), date(2026, 12, 31)), *_days(date(2015, 2, 1), date(2015, 2, 28))]:
        rule = spec.choose_rule(received, frozenset(), False)
        due = compute_due(rule, received, calendar).due_date
        fires = local_date(step_due_at(due, step, calendar))
        assert fires < received + timedelta(days=FORTY_FIVE), (received, due, fires)


def _discipline_letter(session, workflows, org, received: date) -> Case:
    at = datetime.combine(received, time(9), TZ)
    data = IntakeInput(kind="triage", unit_id=org["dept"].id, channel="letter", received_at=at,
                       subject="Khiếu nại quyết định kỷ luật",
                       parties=[PartyInput(role="complainant", name="Nguyễn Văn An", identity_number="001086000123")])
    letter = register_case(session, workflows, org["users"]["reception"], data, at)
    return cases.perform(session, workflows, org["users"]["handler"], letter.id, "classify",
                         {"content_type": "complaint_discipline", "competent": True}, at)


@pytest.mark.parametrize("received, unit, due", [
    (date(2016, 6, 1), "calendar_days", date(2016, 6, 13)),  # 10 d: Sat 11/06, to Mon 13/06 (LKN Art 50)
    (date(2016, 12, 5), "working_days", date(2016, 12, 19)),  # 10 wd from 05/12/2016 (TT 02/2016)
    (date(2026, 11, 2), "working_days", date(2026, 11, 11)),  # 7 wd (NĐ 155/2026 Art 10)
])
def test_a_disciplinary_complaint_letter_counts_as_its_case(session, workflows, org, received, unit, due):
    letter = _discipline_letter(session, workflows, org, received)
    clock = session.scalar(select(Clock).where(Clock.case_id == letter.id, Clock.closed_at.is_(None),
                                               Clock.name != "triage"))
    assert (clock.unit, clock.due_date) == (unit, due)
    cases.perform(session, workflows, org["users"]["handler"], letter.id, "accept",
                  {"target_kind": "complaint_discipline"}, datetime.combine(received, time(10), TZ))
    case_clock = session.scalar(select(Clock).where(Clock.case_id == letter.handed_off_to_id, Clock.name == "accept"))
    assert (case_clock.unit, case_clock.due_date) == (clock.unit, clock.due_date)
