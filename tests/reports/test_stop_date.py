"""A time limit stops on the legal date of the act that stopped it, not on the day the act was entered, and every
report counts it in the period of that date (Bộ luật Dân sự 2015, Điều 147-148: the limit runs to the act's date).

A petition received Wednesday 16/12/2026 must be answered within 10 working days (Luật Tiếp công dân 2013, Điều 28
khoản 1): by Wednesday 30/12/2026. The sweep marks it missed on the 31st. The notice was sent on Monday 28/12/2026
but entered only on Sunday 03/01/2027: it was answered on time in 2026, so 2026 counts it met (and not overdue at the
year's end), and 2027 counts nothing of it. Before, it was counted by the instant it was entered: overdue at the
end of 2026 and met in 2027.
"""
from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from dvflow.models import Clock, Commitment
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.deadlines.sweep import sweep
from dvflow.services.reports import dashboard, periodic
from dvflow.services.reports import scorecard_facts as facts
from dvflow.timeutil import TZ

from . import scorecard_fixtures as fx
from .fixtures import World, local
from .test_scorecard_drilldown import listed

RECEIVED, DUE, SENT, ENTERED = date(2026, 12, 16), date(2026, 12, 30), date(2026, 12, 28), date(2027, 1, 3)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), TZ)


ENTERED_AT = at(ENTERED)
LATER = at(date(2027, 2, 1))


@pytest.fixture
def answered(session, workflows, org):
    """The petition, its reply dated 28/12/2026 and entered 03/01/2027."""
    data = IntakeInput(kind="petition", unit_id=org["dept"].id, channel="walk_in", received_at=at(RECEIVED, 9),
                       subject="Kiến nghị sửa đường liên thôn",
                       parties=[PartyInput(role="petitioner", name="Nguyễn Văn An")])
    case = register_case(session, workflows, org["users"]["reception"], data, at(RECEIVED))
    reply = session.scalars(select(Clock).where(Clock.case_id == case.id, Clock.name == "reply")).one()
    assert reply.due_date == DUE
    sweep(session, now=at(date(2026, 12, 31)), ladder=workflows.ladder)
    assert reply.state == "missed" and reply.closed_at is None
    cases.perform(session, workflows, org["users"]["head"], case.id, "accept",
                  {"reply_date": SENT.isoformat(), "reply_form": "written"}, ENTERED_AT)
    session.refresh(reply)
    assert reply.state == "met"  # judged by the notice's date already (services/deadlines/clocks._stop)
    return case


def test_the_clock_keeps_the_legal_date_it_stopped_on(session, answered):
    reply = session.scalars(select(Clock).where(Clock.case_id == answered.id, Clock.name == "reply")).one()
    assert reply.closed_at == ENTERED_AT and reply.closed_on == SENT


def _on_time(session, org, year: int, now: datetime):
    y, ctx = facts.Year(year, now), fx.context()
    return (facts.on_time_rate(session, org["dept"].id, {org["dept"].id}, y, ctx),
            facts.overdue_at_year_end(session, org["dept"].id, {org["dept"].id}, y, ctx))


def test_the_scorecard_counts_it_met_in_the_year_of_its_date(session, org, answered):
    rate, overdue = _on_time(session, org, 2026, ENTERED_AT)
    assert [n for _label, n in rate.counts] == [1, 0, 0, 1, 0, 0] and rate.value == 100
    assert overdue.value == 0
    assert listed(session, org, rate.count_filters["Hồ sơ đúng hạn"], ENTERED_AT) == {answered.id}
    assert listed(session, org, rate.count_filters["Hồ sơ trễ hạn"], ENTERED_AT) == set()


def test_the_scorecard_of_the_next_year_does_not_count_it(session, org, answered):
    rate, _overdue = _on_time(session, org, 2027, LATER)
    assert [n for _label, n in rate.counts] == [0, 0, 0, 0, 0, 0] and rate.value is None
    assert listed(session, org, {**rate.count_filters["Hồ sơ đúng hạn"]}, LATER) == set()


def test_the_dashboard_counts_it_in_december(session, org, answered):
    december = dashboard.on_time(session, None, date(2026, 12, 1), date(2027, 1, 1), LATER)
    january = dashboard.on_time(session, None, date(2027, 1, 1), date(2027, 2, 1), LATER)
    assert (december.met, december.missed) == (1, 0)
    assert (january.met, january.missed) == (0, 0)


def _rows(session, org, month: int, year: int, now: datetime, key: str) -> dict:
    period = periodic.choose_period("month", year, month, "calendar", now.astimezone(TZ).date())
    rep = periodic.build(session, unit_id=org["province"].id, visible=None, period=period, now=now)
    return {r.label: r.values for r in next(s for s in rep.sections if s.key == key).rows}


def test_the_periodic_report_does_not_count_it_overdue_at_decembers_end(session, org, answered):
    total = _rows(session, org, 12, 2026, LATER, "dung-han")["Tổng cộng"]
    assert (total["open"], total["overdue"]) == (1, 0)  # still open (accepted), but answered in time


def test_a_commitment_reported_on_time_and_entered_late_is_not_overdue_at_the_periods_end(session, workflows, org):
    w = World(session, workflows, org)
    task = w.case("follow_up", local(date(2026, 12, 1)), channel="assigned", state="reported")
    w.clock(task, due=DUE, state="met", closed=ENTERED_AT, stopped_on=SENT)
    session.add(Commitment(case_id=task.id, source="dialogue", created_at=local(date(2026, 12, 1))))
    session.flush()
    dialogue = _rows(session, org, 12, 2026, LATER, "doi-thoai")["Đối thoại trong giải quyết khiếu nại"]
    assert (dialogue["made"], dialogue["overdue"]) == (1, 0)


def test_the_case_list_filters_by_the_legal_date(session, org, answered):
    base = {"thoi_han": "met", "pham_vi": "tru_noi_bo"}
    assert listed(session, org, {**base, "thoi_han_tu": "2026-12-28", "thoi_han_den": "2026-12-28"}, LATER) == {
        answered.id}
    assert listed(session, org, {**base, "thoi_han_tu": "2027-01-01", "thoi_han_den": "2027-01-31"}, LATER) == set()


def _plans(session, run, marker: str) -> list[str]:
    """The plans of the statements `run()` sends whose SQL contains `marker`."""
    from sqlalchemy import event

    seen = []
    conn = session.connection()

    def grab(_conn, _cursor, statement, parameters, _context, _executemany):
        if marker in statement:
            seen.append((statement, parameters))

    event.listen(conn, "before_cursor_execute", grab)
    try:
        run()
    finally:
        event.remove(conn, "before_cursor_execute", grab)
    return ["\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + s, p)) for s, p in seen]


def test_the_limits_stopped_in_a_period_are_read_through_their_index(session, org, postgres_only):
    """The scorecard's and the dashboard's stopped limits come from the index by legal stop date (0041) alone."""
    from sqlalchemy import text

    session.execute(text("SET LOCAL enable_seqscan = off"))  # a small table would be read whole otherwise
    session.execute(text("SET LOCAL enable_bitmapscan = off"))
    y = facts.Year(2026, LATER)
    plans = _plans(session, lambda: (
        facts.on_time_rate(session, org["dept"].id, {org["dept"].id}, y, fx.context()),
        dashboard.on_time(session, None, date(2026, 12, 1), date(2027, 1, 1), LATER)), "clocks.closed_on <")
    assert len(plans) == 3  # the year's first case, its met and missed per unit, the dashboard's
    assert all("ix_clocks_closed_on" in plan for plan in plans), plans


def test_the_api_shows_the_date_a_limit_stopped_on(session, answered):
    from dvflow.api.serialize import clock_rows

    rows = {r["name"]: r for r in clock_rows(session, answered, LATER.date())}
    assert rows["reply"]["closed"] is True and rows["reply"]["closed_on"] == "2026-12-28"
