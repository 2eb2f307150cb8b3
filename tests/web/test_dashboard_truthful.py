"""The truthful dashboard: the on-time rate counts the overdue open time limits, each figure leads to its cases, the
overdue list is grouped by unit and paginated in SQL, and it exports as XLSX."""
from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta, timezone

import pytest
from factories import NOW
from openpyxl import load_workbook

from dvflow.services import reports
from dvflow.services.reports import overdue as overdue_service

from .helpers import make_case
from .test_dashboard import add_clock

MONTH = reports.period_bounds(NOW.date(), "month")


def test_overdue_open_clocks_pull_the_rate_down(app, session, login, org):
    """Nothing stopped late this month but three limits run past their end: the rate is 2 / 5, not 100%."""
    a = make_case(app, session, org)
    for _ in range(2):
        add_clock(session, a, due_at=NOW, state="met", closed_at=NOW - timedelta(days=2))
    for days in (1, 5, 40):
        add_clock(session, make_case(app, session, org), due_at=NOW - timedelta(days=days))
    result = reports.on_time(session, {org["dept"].id}, *MONTH, NOW)
    assert (result.met, result.missed, result.overdue_open) == (2, 0, 3)
    assert result.rate == pytest.approx(0.4) and result.rate_stopped == pytest.approx(1.0)
    html = login("head").get("/bang-dieu-khien").get_data(as_text=True)
    assert 'data-rate="0.4000"' in html and "40.0%" in html
    assert "Công thức" in html


def test_only_overdue_and_nothing_stopped_reads_zero(app, session, org):
    add_clock(session, make_case(app, session, org), due_at=NOW - timedelta(days=3))
    assert reports.on_time(session, {org["dept"].id}, *MONTH, NOW).rate == 0.0


def test_follow_up_tasks_are_left_out_of_the_rate(app, session, org):
    task = make_case(app, session, org)
    task.kind, task.channel = "follow_up", "assigned"
    session.flush()
    add_clock(session, task, due_at=NOW - timedelta(days=3))
    add_clock(session, task, due_at=NOW, state="missed", closed_at=NOW - timedelta(days=1))
    assert reports.on_time(session, {org["dept"].id}, *MONTH, NOW).rate is None


def test_overdue_drill_down_lists_exactly_the_overdue_cases(app, session, login, org):
    late = make_case(app, session, org, subject="Quá hạn")
    fine = make_case(app, session, org, subject="Còn hạn")
    add_clock(session, late, due_at=NOW - timedelta(days=2))
    add_clock(session, fine, due_at=NOW + timedelta(days=2))
    browser = login("head")
    html = browser.get("/bang-dieu-khien").get_data(as_text=True)
    assert 'href="/ho-so?qua_han=1"' in html
    listed = browser.get("/ho-so?qua_han=1").get_data(as_text=True)
    assert late.tracking_code in listed and fine.tracking_code not in listed


@pytest.fixture
def many_overdue(app, session, org):
    """Five overdue cases in Sở NN&MT (the oldest first: d0 .. d4) and two in Sở Y tế."""
    dept = [make_case(app, session, org, subject=f"Quá hạn {i}") for i in range(5)]
    other = [make_case(app, session, org, unit="other", user="other_head") for _ in range(2)]
    for i, c in enumerate(dept):
        add_clock(session, c, due_at=NOW - timedelta(days=20 - i))
    for c in other:
        add_clock(session, c, due_at=NOW - timedelta(days=1))
    return dept, other


def test_overdue_page_is_paginated_and_grouped(session, org, many_overdue):
    dept, other = many_overdue
    first = reports.overdue_page(session, None, NOW, 1, per_page=3)
    assert first.total == 7 and first.pages == 3
    assert first.unit_totals == {org["dept"].id: 5, org["other"].id: 2}
    assert [(u.unit_name, [c.tracking_code for c in u.cases]) for u in first.units] == [
        ("Sở NN&MT", [c.tracking_code for c in dept[:3]])]
    second = reports.overdue_page(session, None, NOW, 2, per_page=3)
    assert [c.tracking_code for c in second.units[0].cases] == [c.tracking_code for c in dept[3:]]
    assert second.units[1].unit_name == "Sở Y tế" and second.units[1].count == 1
    assert reports.overdue_page(session, None, NOW, 99, per_page=3).page == 3  # past the end: the last page
    assert reports.overdue_page(session, {org["other"].id}, NOW).total == 2


def test_dashboard_pages_the_overdue_list(login, org, many_overdue, monkeypatch):
    dept, _other = many_overdue
    monkeypatch.setattr(overdue_service, "PER_PAGE", 2)
    browser = login("supervisor")
    html = browser.get("/bang-dieu-khien").get_data(as_text=True)
    assert dept[0].tracking_code in html and dept[2].tracking_code not in html
    assert f'data-unit="{org["dept"].id}" data-count="5"' in html  # the unit's whole count, not the page's part
    assert "Trang 1 / 4" in html and "qh_trang=2" in html
    html = browser.get("/bang-dieu-khien?qh_trang=2").get_data(as_text=True)
    assert dept[2].tracking_code in html and dept[0].tracking_code not in html


def test_overdue_xlsx(login, org, many_overdue):
    dept, other = many_overdue
    resp = login("supervisor").get("/bang-dieu-khien/qua-han.xlsx")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.data)).active
    assert ws["A2"].value == "Danh sách hồ sơ quá hạn"
    assert ws["A3"].value == "Tính đến ngày 25/11/2026"
    merged = [str(r) for r in ws.merged_cells.ranges]
    assert "F6:H6" in merged  # the earliest overdue limit's heading over its three columns
    data = [[c.value for c in row] for row in ws.iter_rows(min_row=9) if isinstance(row[0].value, int)]
    assert len(data) == 7 and [r[0] for r in data] == list(range(1, 8))
    assert [r[2] for r in data[:5]] == [c.tracking_code for c in dept]  # by unit, the longest overdue first
    assert {r[2] for r in data[5:]} == {c.tracking_code for c in other} and data[5][1] == "Sở Y tế"
    due = data[0][6]
    assert isinstance(due, datetime) and isinstance(data[0][7], int) and data[0][7] >= 1
    assert ws.cell(row=9, column=7).number_format == "dd/mm/yyyy"
    assert ws.freeze_panes == "B9"


def test_weekly_flow_groups_in_sql_at_local_midnight(app, session, org):
    """A case received at 23:59:59 local on Sunday is in the week before one received at 00:00:00 on Monday."""
    sunday = make_case(app, session, org)
    sunday.received_at = datetime(2026, 11, 22, 16, 59, 59, tzinfo=timezone.utc)
    monday = make_case(app, session, org)
    monday.received_at = datetime(2026, 11, 22, 17, 0, 0, tzinfo=timezone.utc)
    session.flush()
    weeks = {w.start.isoformat(): w.received for w in reports.weekly_flow(session, {org["dept"].id}, NOW.date())}
    assert weeks["2026-11-16"] == 1 and weeks["2026-11-23"] == 1


def test_monthly_flow_groups_in_sql_at_local_midnight(app, session, login, org):
    """23:59:59 local on 31/10 is October; 00:00:00 local on 01/11 is November; the page's bars link to the cases."""
    late_october = make_case(app, session, org)
    late_october.received_at = datetime(2026, 10, 31, 16, 59, 59, tzinfo=timezone.utc)
    early_november = make_case(app, session, org)
    early_november.received_at = datetime(2026, 10, 31, 17, 0, 0, tzinfo=timezone.utc)
    early_november.status, early_november.closed_at = "closed", datetime(2026, 11, 20, tzinfo=timezone.utc)
    early_november.closed_on = date(2026, 11, 20)  # ended on the day it was entered
    session.flush()
    months = {m.start.isoformat(): (m.received, m.resolved)
              for m in reports.monthly_flow(session, {org["dept"].id}, NOW.date())}
    assert len(months) == 12 and list(months)[-1] == "2026-11-01" and list(months)[0] == "2025-12-01"
    assert months["2026-10-01"] == (1, 0) and months["2026-11-01"] == (1, 1)
    html = login("head").get("/bang-dieu-khien?bieu_do=thang").get_data(as_text=True)
    assert "theo tháng" in html and "11/2026" in html
    assert 'href="/ho-so?nhan_tu=2026-11-01&amp;nhan_den=2026-11-30&amp;pham_vi=vu_viec"' in html
    assert 'href="/ho-so?xong_tu=2026-11-01&amp;xong_den=2026-11-30&amp;pham_vi=vu_viec"' in html


def test_met_and_missed_drill_down_to_the_cases_whose_limits_stopped(app, session, login, org):
    met = make_case(app, session, org, subject="Đúng hạn")
    missed = make_case(app, session, org, subject="Trễ hạn")
    earlier = make_case(app, session, org, subject="Trễ hạn tháng trước")
    add_clock(session, met, due_at=NOW, state="met", closed_at=NOW - timedelta(days=2))
    add_clock(session, missed, due_at=NOW - timedelta(days=9), state="missed", closed_at=NOW - timedelta(days=3))
    add_clock(session, earlier, due_at=NOW - timedelta(days=60), state="missed", closed_at=NOW - timedelta(days=40))
    browser = login("head")
    html = browser.get("/bang-dieu-khien").get_data(as_text=True)
    link = re.search(r'data-missed-cases="1"><a href="([^"]+)"', html).group(1).replace("&amp;", "&")
    listed = browser.get(link).get_data(as_text=True)
    assert missed.tracking_code in listed
    assert met.tracking_code not in listed and earlier.tracking_code not in listed
    link = re.search(r'data-met-cases="1"><a href="([^"]+)"', html).group(1).replace("&amp;", "&")
    listed = browser.get(link).get_data(as_text=True)
    assert met.tracking_code in listed and missed.tracking_code not in listed
    assert "Kết quả thời hạn không hợp lệ" in browser.get("/ho-so?thoi_han=x").get_data(as_text=True)


def test_dashboard_figures_xlsx(app, session, login, org):
    a = make_case(app, session, org)
    add_clock(session, a, due_at=NOW, state="met", closed_at=NOW - timedelta(days=2))
    add_clock(session, make_case(app, session, org), due_at=NOW - timedelta(days=3))
    browser = login("head")
    assert 'id="tong-hop-xlsx"' in browser.get("/bang-dieu-khien").get_data(as_text=True)
    resp = browser.get("/bang-dieu-khien/tong-hop.xlsx?ky=thang")
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.data))
    assert wb.sheetnames == ["Đúng hạn", "Chưa kết thúc", "Theo tuần"]
    ws = wb["Đúng hạn"]
    assert ws["A2"].value == "Bảng điều khiển" and ws["A3"].value == "Kỳ: 01/11/2026 – 30/11/2026"
    values = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(8, ws.max_row + 1)}
    assert values["Thời hạn kết thúc đúng hạn trong kỳ"] == 1
    assert values["Thời hạn đang quá hạn hôm nay"] == 1
    assert values["Tỷ lệ đúng hạn, tính cả thời hạn đang quá hạn (%)"] == 50.0
    open_rows = [[c.value for c in row] for row in wb["Chưa kết thúc"].iter_rows(min_row=8)]
    assert sum(r[2] for r in open_rows if isinstance(r[2], int)) == 2
    weeks = [[c.value for c in row] for row in wb["Theo tuần"].iter_rows(min_row=8)]
    assert len(weeks) == 12 and isinstance(weeks[-1][0], datetime) and weeks[-1][2] == 2


def test_the_overdue_list_counts_the_rate_s_overdue_clocks_too(session, org, many_overdue):
    """The dashboard takes the rate's "overdue now" from the overdue list's grouped query: the same figure as
    counting the open clocks past their end, a case with two such clocks counting twice there, once in the list."""
    dept, _other = many_overdue
    add_clock(session, dept[0], due_at=NOW - timedelta(days=2))
    page = reports.overdue_page(session, None, NOW, 1, per_page=3)
    today = NOW.date()
    assert page.total == 7 and page.open_clocks == 8
    assert reports.on_time(session, None, today, today, NOW).overdue_open == page.open_clocks
    assert reports.overdue_page(session, {org["other"].id}, NOW).open_clocks == 2


def test_the_stopped_limits_drill_downs_list_what_the_counts_count(app, session, login, org):
    """The met (and missed) count leaves out follow-up tasks (internal work): so does the list it links to."""
    matter = make_case(app, session, org, subject="Kiến nghị")
    add_clock(session, matter, due_at=NOW, state="met", closed_at=NOW - timedelta(days=2))
    task = make_case(app, session, org, subject="Nhiệm vụ")
    task.kind, task.channel = "follow_up", "assigned"
    session.flush()
    add_clock(session, task, due_at=NOW, state="met", closed_at=NOW - timedelta(days=2))
    browser = login("head")
    html = browser.get("/bang-dieu-khien").get_data(as_text=True)
    count, href = re.search(r'data-met-cases="(\d+)"><a href="([^"]+)"', html).groups()
    listed = browser.get(href.replace("&amp;", "&")).get_data(as_text=True)
    assert count == "1"
    assert matter.tracking_code in listed and task.tracking_code not in listed


def test_the_case_page_shows_the_date_a_limit_stopped_on(app, session, login, org):
    """Entered on 25/11 for a reply dated 20/11: the page says when the limit legally stopped."""
    case = make_case(app, session, org)
    clock = add_clock(session, case, due_at=NOW, state="met", closed_at=NOW)
    clock.closed_on = datetime(2026, 11, 20).date()
    session.flush()
    html = login("head").get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert "đã dừng ngày 20/11/2026" in html


def test_a_case_with_two_limits_met_is_one_row_of_the_met_list(app, session, login, org):
    """The rate counts time limits (2 met); the figure linked to the list counts the case they belong to (1), the
    number of rows the list shows."""
    case = make_case(app, session, org, subject="Hai thời hạn")
    add_clock(session, case, due_at=NOW, state="met", closed_at=NOW - timedelta(days=3))
    add_clock(session, case, due_at=NOW, state="met", closed_at=NOW - timedelta(days=2))
    browser = login("head")
    html = browser.get("/bang-dieu-khien").get_data(as_text=True)
    assert 'data-met="2"' in html
    count, href = re.search(r'data-met-cases="(\d+)"><a href="([^"]+)"', html).groups()
    listed = browser.get(href.replace("&amp;", "&")).get_data(as_text=True)
    assert count == "1" and 'id="tong-so">1<' in listed
