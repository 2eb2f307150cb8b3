"""An admin's day off moves the due dates of the open clocks it touches, and each case's history says so."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest
from sqlalchemy import select

from deadlines.helpers import FakeWorkflows, fixed_ladder
from dvflow.engine.deadlines import step_due_at
from dvflow.engine.types import LadderStep
from dvflow.models import CaseEvent, Clock
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.deadlines.calendar import (
    load_calendar,
    remove_override,
    set_override,
)
from dvflow.services.deadlines.calendar_import import import_overrides
from dvflow.services.deadlines.clocks import explain
from dvflow.services.deadlines.sweep import sweep
from dvflow.timeutil import TZ

#: "report to the superior" three working days after the due date (as after_3 in workflows/complaint_first.yaml)
AFTER_DUE_LADDER = (
    LadderStep("due", 0, "calendar_days", ("assignee",), ("mark_missed",), "Quá hạn"),
    LadderStep("after_3", 3, "working_days", ("parent_head",), ("raise_level", "mark_priority"), "Báo cáo cấp trên"),
)


def _case(session, workflows, org, received: date):
    data = IntakeInput(kind="complaint_first", unit_id=org["dept"].id, channel="letter",
                       received_at=datetime.combine(received, time(9), TZ), subject="Khiếu nại",
                       parties=[PartyInput(role="complainant", name="Nguyễn Văn An")])
    return register_case(session, workflows, org["users"]["reception"], data, datetime.combine(received, time(10), TZ))


def _accept_clock(session, case) -> Clock:
    return session.scalar(select(Clock).where(Clock.case_id == case.id, Clock.name == "accept"))


def test_day_off_moves_due_date_and_is_written_to_history(session, workflows, org):
    case = _case(session, workflows, org, date(2026, 11, 2))
    before = _accept_clock(session, case).due_date
    assert before == date(2026, 11, 11)  # 7 working days after Mon 02/11
    now = datetime(2026, 11, 5, 3, 0, tzinfo=TZ)
    set_override(session, workflows, day=date(2026, 11, 6), kind="off", note="Nghỉ do bão số 13", now=now)
    after = _accept_clock(session, case)
    assert after.due_date == date(2026, 11, 12)
    event = session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == "recompute_due"))
    assert event.payload["old_due_date"] == "2026-11-11" and event.payload["new_due_date"] == "2026-11-12"
    assert "Nghỉ do bão số 13" in event.payload["reason"]
    explanation = explain(after, load_calendar(session)).text()
    assert "06/11/2026" in explanation and "Nghỉ do bão số 13" in explanation
    # removing it moves the date back, and says so too
    remove_override(session, workflows, day=date(2026, 11, 6), now=now)
    assert _accept_clock(session, case).due_date == date(2026, 11, 11)
    assert len(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                       CaseEvent.action == "recompute_due")).all()) == 2


def test_override_outside_a_clock_touches_nothing(session, workflows, org):
    case = _case(session, workflows, org, date(2026, 11, 2))
    set_override(session, workflows, day=date(2026, 12, 28), kind="off", note="xa", now=datetime(2026, 11, 5, tzinfo=TZ))
    assert _accept_clock(session, case).due_date == date(2026, 11, 11)
    assert session.scalar(select(CaseEvent).where(CaseEvent.action == "recompute_due")) is None


def test_csv_import_with_new_year_swap(session, workflows, org):
    text = "date,kind,note\n2026-01-02,off,Nghỉ bù Tết Dương lịch\n10/01/2026,working,Làm bù\n"
    assert import_overrides(session, workflows, text, filename="2026.csv",
                            now=datetime(2025, 12, 30, tzinfo=TZ)) == 2
    cal = load_calendar(session)
    assert not cal.is_working_day(date(2026, 1, 2)) and cal.is_working_day(date(2026, 1, 10))


def test_ics_import_marks_days_off(session, workflows, org):
    text = ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261228\r\nDTEND;VALUE=DATE:20261230\r\n"
            "SUMMARY:Nghỉ đột xuất\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    assert import_overrides(session, workflows, text, filename="x.ics", now=datetime(2026, 11, 5, tzinfo=TZ)) == 2
    cal = load_calendar(session)
    assert not cal.is_working_day(date(2026, 12, 28)) and not cal.is_working_day(date(2026, 12, 29))
    assert cal.is_working_day(date(2026, 12, 30))


@pytest.mark.parametrize("change", ["working Saturday set", "day off removed"])
def test_a_day_changed_after_the_due_date_moves_the_pending_escalation_step(session, world, change):
    """The due date (Wed 02/12) is before the changed day: only the pending step, counted in working days after
    it, moves; the superior must be told at its new instant, not at the stale one."""
    workflows, saturday, friday = FakeWorkflows(AFTER_DUE_LADDER), date(2026, 12, 5), date(2026, 12, 4)
    at = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)
    if change == "day off removed":
        set_override(session, workflows, day=friday, kind="off", note="Nghỉ đột xuất", now=at)
    _case, clock = world.case_with_clock(ladder=AFTER_DUE_LADDER)
    sweep(session, now=datetime(2026, 12, 2, 17, 1, tzinfo=timezone.utc), ladder=fixed_ladder(AFTER_DUE_LADDER))
    stale = clock.next_escalation_at
    assert clock.next_step_key == "after_3"
    if change == "day off removed":
        remove_override(session, workflows, day=friday, now=at)
    else:
        set_override(session, workflows, day=saturday, kind="working", note="Làm bù", now=at)
    session.refresh(clock)
    expected = step_due_at(clock.due_date, AFTER_DUE_LADDER[1], load_calendar(session))
    assert clock.due_date == date(2026, 12, 2) and expected < stale
    assert (clock.next_step_key, clock.next_escalation_at) == ("after_3", expected)
