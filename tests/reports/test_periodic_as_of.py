"""The figures "at the period's end" of the current, unfinished period are read as of now: a time limit due later this
month is not overdue yet (timeliness, commitments); a past period's report reads a commitment as it stood at the
period's end, not as it stands today."""
from __future__ import annotations

from datetime import date

from factories import NOW
from sqlalchemy import select

from dvflow.models import Clock, Commitment
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.reports import periodic

from .fixtures import World, local

TODAY = date(2026, 11, 25)  # NOW: Wednesday 25/11/2026, 09:00 in Hanoi


def report(session, org, kind, number, year=2026, basis="calendar"):
    period = periodic.choose_period(kind, year, number, basis, TODAY)
    return periodic.build(session, unit_id=org["province"].id, visible=None, period=period, now=NOW)


def rows(rep, key):
    return {r.label: r.values for r in next(s for s in rep.sections if s.key == key).rows}


def test_a_time_limit_due_later_this_month_is_not_overdue_yet(session, workflows, org):
    data = IntakeInput(kind="complaint_first", unit_id=org["dept"].id, channel="letter",
                       received_at=local(date(2026, 11, 17), 10), subject="Khiếu nại quyết định thu hồi đất",
                       parties=[PartyInput(role="complainant", name="Nguyễn Văn An")])
    case = register_case(session, workflows, org["users"]["reception"], data, local(date(2026, 11, 17), 10))
    due = session.scalars(select(Clock.due_date).where(Clock.case_id == case.id, Clock.due_date.is_not(None))).all()
    assert due and all(TODAY < d < date(2026, 11, 30) for d in due)  # ahead, yet within the month
    w = World(session, workflows, org)
    late = w.case("complaint_first", local(date(2026, 11, 2)))
    w.clock(late, due=date(2026, 11, 20))  # due before today: overdue now
    total = rows(report(session, org, "month", 11), "dung-han")["Tổng cộng"]
    assert (total["open"], total["overdue"]) == (2, 1)


def test_a_commitment_due_later_this_month_is_not_overdue_yet(session, workflows, org):
    w = World(session, workflows, org)
    task = w.case("follow_up", local(date(2026, 11, 2)), channel="assigned")
    w.clock(task, due=date(2026, 11, 28))
    session.add(Commitment(case_id=task.id, source="dialogue", created_at=NOW))
    session.flush()
    dialogue = rows(report(session, org, "month", 11), "doi-thoai")["Đối thoại trong giải quyết khiếu nại"]
    assert (dialogue["made"], dialogue["done"], dialogue["overdue"]) == (1, 0, 0)


def test_a_commitment_done_after_the_period_was_open_and_overdue_at_its_end(session, workflows, org):
    """Made 01/08 (Q3 on the cut-off, 15/06-14/09), due 01/09, done only on 10/10: the Q3 report shows it not done
    and overdue (not done "as of now"); the report of the running year, read as of today, shows it done."""
    w = World(session, workflows, org)
    task = w.case("follow_up", local(date(2026, 8, 1)), channel="assigned", state="done",
                  closed=local(date(2026, 10, 10)))
    w.clock(task, due=date(2026, 9, 1), state="missed", closed=local(date(2026, 10, 10)))
    session.add(Commitment(case_id=task.id, source="dialogue", created_at=NOW))
    session.flush()
    q3 = rows(report(session, org, "quarter", 3, basis="cutoff"), "doi-thoai")["Đối thoại trong giải quyết khiếu nại"]
    assert (q3["made"], q3["done"], q3["overdue"]) == (1, 0, 1)
    year = rows(report(session, org, "year", None, basis="calendar"), "doi-thoai")["Đối thoại trong giải quyết khiếu nại"]
    assert (year["made"], year["done"], year["overdue"]) == (1, 1, 0)  # done by now, within the running year
