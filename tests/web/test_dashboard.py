"""The dashboard: figures match constructed data, each user sees only their units, the SVG chart has the right bars."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from factories import NOW  # Wednesday 25/11/2026, 09:00 local; the app fixture's now

from dvflow.models import Case, Clock
from dvflow.services import reports
from dvflow.services.cases.intake import PartyInput
from dvflow.timeutil import local_date

from .helpers import make_case

WEEK_RE = re.compile(r'<g class="week" data-week="([\d-]+)" data-received="(\d+)" data-resolved="(\d+)">')


def add_clock(session, case: Case, *, due_at: datetime | None, state: str = "running",
              closed_at: datetime | None = None, name: str = "resolve") -> Clock:
    clock = Clock(case_id=case.id, name=name, label="Thời hạn giải quyết", unit="working_days", days=30,
                  start_date=date(2026, 9, 1), started_at=NOW - timedelta(days=80),
                  due_date=due_at.date() if due_at else None, due_at=due_at, state=state, closed_at=closed_at,
                  closed_on=local_date(closed_at) if closed_at else None)  # stopped on the day it was entered
    session.add(clock)
    session.flush()
    return clock


@pytest.fixture
def overdue_data(app, session, org):
    """Two overdue cases in Sở NN&MT (one with two overdue clocks), one in Sở Y tế, one on time in Sở NN&MT."""
    a1 = make_case(app, session, org, subject="Quá hạn A1")
    a2 = make_case(app, session, org, subject="Quá hạn A2")
    b1 = make_case(app, session, org, unit="other", subject="Quá hạn B1", user="other_head")
    ok = make_case(app, session, org, subject="Còn hạn")
    add_clock(session, a1, due_at=NOW - timedelta(days=3))
    add_clock(session, a1, due_at=NOW - timedelta(days=1), name="extra")
    add_clock(session, a2, due_at=NOW - timedelta(hours=1), state="missed")  # marked missed, still open
    add_clock(session, b1, due_at=NOW - timedelta(days=10))
    add_clock(session, ok, due_at=NOW + timedelta(days=5))
    add_clock(session, ok, due_at=NOW - timedelta(days=2), state="met", closed_at=NOW - timedelta(days=4))  # stopped
    return {"a1": a1, "a2": a2, "b1": b1, "ok": ok}


def test_overdue_by_unit_service(session, org, overdue_data):
    d = overdue_data
    rows = reports.overdue_by_unit(session, None, NOW)
    assert [(u.unit_name, u.count) for u in rows] == [("Sở NN&MT", 2), ("Sở Y tế", 1)]
    assert [c.tracking_code for c in rows[0].cases] == [d["a1"].tracking_code, d["a2"].tracking_code]
    only_b = reports.overdue_by_unit(session, {org["other"].id}, NOW)
    assert [(u.unit_id, u.count) for u in only_b] == [(org["other"].id, 1)]
    assert reports.overdue_by_unit(session, set(), NOW) == []


def test_dashboard_overdue_per_user(login, org, overdue_data):
    d = overdue_data
    codes = {k: c.tracking_code for k, c in d.items()}

    html = login("handler").get("/bang-dieu-khien").get_data(as_text=True)
    assert f'data-unit="{org["dept"].id}" data-count="2"' in html
    assert codes["a1"] in html and codes["a2"] in html
    assert f'href="/ho-so/{d["a1"].id}"' in html
    assert codes["b1"] not in html and "Sở Y tế" not in html

    html = login("other_handler").get("/bang-dieu-khien").get_data(as_text=True)
    assert f'data-unit="{org["other"].id}" data-count="1"' in html and codes["b1"] in html
    assert codes["a1"] not in html and codes["a2"] not in html and f'data-unit="{org["dept"].id}"' not in html

    for who in ("supervisor", "admin"):
        html = login(who).get("/bang-dieu-khien").get_data(as_text=True)
        assert f'data-unit="{org["dept"].id}" data-count="2"' in html
        assert f'data-unit="{org["other"].id}" data-count="1"' in html
        assert "tất cả các đơn vị" in html
    assert codes["ok"] not in html


def test_open_cases_by_kind_and_state(app, session, login, org):
    make_case(app, session, org)
    make_case(app, session, org)
    closed = make_case(app, session, org)
    closed.status, closed.closed_at, closed.closed_on = "closed", NOW, local_date(NOW)
    make_case(app, session, org, unit="other", user="other_head")
    make_case(app, session, org, kind="petition", subject="Kiến nghị về đường",
              parties=[PartyInput(role="petitioner", name="Trần Thị Bình")])
    session.flush()
    rows = reports.open_cases_by_kind_state(session, {org["dept"].id})
    state = closed.state
    assert ("complaint_first", state, 2) in rows
    assert sum(n for _k, _s, n in rows) == 3
    assert sum(n for _k, _s, n in reports.open_cases_by_kind_state(session, None)) == 4

    html = login("handler").get("/bang-dieu-khien").get_data(as_text=True)
    row = re.search(rf'<tr data-kind="complaint_first" data-state="{state}">(.*?)</tr>', html, re.S)
    assert row and re.search(r'class="num"><a href="/ho-so\?kind=complaint_first&amp;state=[a-z_]+">2</a></td>',
                             row.group(1))
    assert "Hồ sơ chưa kết thúc theo loại và trạng thái (3)" in html


@pytest.fixture
def clock_history(app, session, org):
    """In Sở NN&MT: Nov 2026: 3 met, 1 missed, 1 cancelled; Oct 2026: 1 met; Feb 2026: 1 missed; 2 open overdue.
    In Sở Y tế: 1 missed in November."""
    a = make_case(app, session, org)
    b = make_case(app, session, org, unit="other", user="other_head")
    nov, octo, feb = NOW - timedelta(days=3), datetime(2026, 10, 15, tzinfo=timezone.utc), \
        datetime(2026, 2, 10, tzinfo=timezone.utc)
    for _ in range(3):
        add_clock(session, a, due_at=NOW, state="met", closed_at=nov)
    add_clock(session, a, due_at=nov, state="missed", closed_at=nov)
    add_clock(session, a, due_at=NOW, state="cancelled", closed_at=nov)
    add_clock(session, a, due_at=NOW, state="met", closed_at=octo)
    add_clock(session, a, due_at=feb, state="missed", closed_at=feb)
    add_clock(session, a, due_at=NOW - timedelta(days=1))
    add_clock(session, a, due_at=NOW - timedelta(days=2), state="missed")
    add_clock(session, b, due_at=nov, state="missed", closed_at=nov)
    # a clock closed at 23:30 local on 31/10 belongs to October, not November (local time boundaries)
    add_clock(session, a, due_at=NOW, state="met", closed_at=datetime(2026, 10, 31, 16, 30, tzinfo=timezone.utc))


def test_on_time_rate_service(session, org, clock_history):
    dept = {org["dept"].id}
    month = reports.on_time(session, dept, *reports.period_bounds(NOW.date(), "month"), NOW)
    assert (month.met, month.missed, month.overdue_open) == (3, 1, 2)
    # the headline counts the 2 clocks overdue now as late: 3 / (3 + 1 + 2); over the stopped ones only: 3 / 4
    assert month.rate == pytest.approx(0.5) and month.rate_stopped == pytest.approx(0.75)
    quarter = reports.on_time(session, dept, *reports.period_bounds(NOW.date(), "quarter"), NOW)
    assert (quarter.met, quarter.missed) == (5, 1)
    year = reports.on_time(session, dept, *reports.period_bounds(NOW.date(), "year"), NOW)
    assert (year.met, year.missed, year.overdue_open) == (5, 2, 2)
    everyone = reports.on_time(session, None, *reports.period_bounds(NOW.date(), "month"), NOW)
    assert (everyone.met, everyone.missed) == (3, 2)
    assert reports.on_time(session, set(), date(2026, 11, 1), date(2026, 12, 1), NOW).rate is None


def test_period_bounds():
    assert reports.period_bounds(date(2026, 11, 25), "month") == (date(2026, 11, 1), date(2026, 12, 1))
    assert reports.period_bounds(date(2026, 12, 31), "month") == (date(2026, 12, 1), date(2027, 1, 1))
    assert reports.period_bounds(date(2026, 11, 25), "quarter") == (date(2026, 10, 1), date(2027, 1, 1))
    assert reports.period_bounds(date(2026, 2, 1), "quarter") == (date(2026, 1, 1), date(2026, 4, 1))
    assert reports.period_bounds(date(2026, 5, 1), "year") == (date(2026, 1, 1), date(2027, 1, 1))


def test_dashboard_on_time_rate_page(login, org, clock_history):
    b = login("head")
    html = b.get("/bang-dieu-khien").get_data(as_text=True)
    assert 'data-rate="0.5000"' in html and "50.0%" in html
    assert 'data-rate-stopped="0.7500"' in html and "75.0%" in html
    assert 'data-met="3"' in html and 'data-missed="1"' in html and 'data-overdue-open="2"' in html
    assert "01/11/2026 – 30/11/2026" in html and "dương lịch" in html
    html = b.get("/bang-dieu-khien?ky=quy").get_data(as_text=True)
    assert 'data-met="5"' in html and 'data-missed="1"' in html and "01/10/2026 – 31/12/2026" in html
    html = b.get("/bang-dieu-khien?ky=nam").get_data(as_text=True)
    assert 'data-met="5"' in html and 'data-missed="2"' in html and "01/01/2026 – 31/12/2026" in html
    assert b.get("/bang-dieu-khien?ky=khong-ro").status_code == 200


def test_weekly_chart(app, session, login, org):
    def received(when: datetime, unit="dept", closed: datetime | None = None) -> Case:
        case = make_case(app, session, org, unit=unit, user="reception" if unit == "dept" else "other_head")
        case.received_at = when
        if closed:
            case.status, case.closed_at, case.closed_on = "closed", closed, local_date(closed)
        session.flush()
        return case

    received(NOW - timedelta(days=1))                                  # this week (Mon 23/11)
    received(NOW - timedelta(days=2), closed=NOW - timedelta(hours=5))  # this week, resolved this week
    received(datetime(2026, 11, 22, 16, 30, tzinfo=timezone.utc))      # 23:30 local Sunday 22/11 -> week of 16/11
    received(datetime(2026, 11, 22, 17, 30, tzinfo=timezone.utc))      # 00:30 local Monday 23/11 -> this week
    received(datetime(2026, 11, 3, tzinfo=timezone.utc), closed=datetime(2026, 11, 10, tzinfo=timezone.utc))
    received(datetime(2026, 8, 1, tzinfo=timezone.utc))                 # older than 12 weeks
    received(NOW - timedelta(days=1), unit="other")                     # another unit

    weeks = reports.weekly_flow(session, {org["dept"].id}, NOW.date())
    assert len(weeks) == 12 and weeks[-1].start == date(2026, 11, 23) and weeks[0].start == date(2026, 9, 7)
    by_start = {w.start: (w.received, w.resolved) for w in weeks}
    assert by_start[date(2026, 11, 23)] == (3, 1)
    assert by_start[date(2026, 11, 16)] == (1, 0)
    assert by_start[date(2026, 11, 9)] == (0, 1)
    assert by_start[date(2026, 11, 2)] == (1, 0)
    assert sum(r for r, _ in by_start.values()) == 5

    html = login("handler").get("/bang-dieu-khien").get_data(as_text=True)
    svg = html[html.index('<svg class="chart"'):]
    svg = svg[:svg.index("</svg>") + 6]
    groups = WEEK_RE.findall(svg)
    assert len(groups) == 12
    assert {date.fromisoformat(w): (int(r), int(s)) for w, r, s in groups} == by_start
    assert svg.count('class="bar received"') == 12 and svg.count('class="bar resolved"') == 12
    assert 'data-count="3"' in svg and "23/11–29/11" in svg
    assert "<script" not in html and "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    # the supervisor counts the other unit's case too
    html = login("supervisor").get("/bang-dieu-khien").get_data(as_text=True)
    assert 'data-week="2026-11-23" data-received="4" data-resolved="1"' in html


def test_dashboard_renders_for_every_role_and_needs_login(client, login, org):
    assert client.get("/bang-dieu-khien").status_code == 302
    for who in ("reception", "handler", "head", "supervisor", "admin", "other_head"):
        resp = login(who).get("/bang-dieu-khien")
        assert resp.status_code == 200 and "Bảng điều khiển" in resp.get_data(as_text=True)


def test_ratings_section_shows_the_averages_per_unit(session, workflows, login, org):
    """Counted by the database per unit over the period: this month's ratings of the units the reader sees."""
    from reports.fixtures import World, local

    html = login("handler").get("/bang-dieu-khien").get_data(as_text=True)
    assert "Mức độ hài lòng" in html and "Chưa có lượt đánh giá nào trong kỳ." in html

    w = World(session, workflows, org)
    for score, day, unit in ((5, date(2026, 11, 3), "dept"), (4, date(2026, 11, 24), "dept"),
                             (3, date(2026, 11, 1), "dept"), (1, date(2026, 10, 31), "dept"),  # last month
                             (1, date(2026, 11, 5), "other")):  # a unit the handler does not see
        w.rating(w.case("petition", local(day), unit=unit, closed=local(day)), score, local(day, 8))
    html = login("handler").get("/bang-dieu-khien").get_data(as_text=True)
    assert 'data-rating-average="4.00"' in html and "3 lượt đánh giá" in html
    assert reports.ratings_by_unit(session, None, date(2026, 10, 1), date(2026, 12, 1)) == sorted(
        [(org["dept"].name, 4, 13), (org["other"].name, 1, 1)])
