"""What the scorecard flags beside its numbers, on the pages and in the XLSX alike: a criterion scoring zero for want
of a record (a shortfall), a manual value waiting for verification, and the criteria set's review caveat."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from reports.scorecard_fixtures import build, entry

XLSX = "/bang-dieu-khien/cham-diem.xlsx?nam=2026&cap=department"
BOARD = "/bang-dieu-khien/cham-diem?nam=2026&cap=department"
NO_OFFICIAL = "Chưa khai báo người có trách nhiệm tiếp công dân"


@pytest.fixture
def world(app, session, org):
    return build(session, app.extensions["dvflow.workflows"], org)


def _cells(data: bytes) -> list[list]:
    return [list(r) for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def _texts(data: bytes) -> list[str]:
    return [str(v) for row in _cells(data) for v in row if v is not None]


def _note_of(data: bytes, unit_name: str) -> str:
    cells = _cells(data)
    header = next(r for r in cells if "Ghi chú" in r)
    return next(r for r in cells if r[1] == unit_name)[header.index("Ghi chú")] or ""


def test_a_unit_without_its_reception_official_is_flagged_on_the_board_and_its_page(login, org, world):
    browser = login("supervisor")
    board = browser.get(BOARD).get_data(as_text=True)
    assert board.count(f'data-shortfall="reception_days_ratio">{NO_OFFICIAL}</span>') == 4
    page = browser.get(f"/bang-dieu-khien/cham-diem/don-vi/{org['other'].id}?nam=2026").get_data(as_text=True)
    assert (f'data-shortfall="reception_days_ratio">Không có số liệu: không có điểm — {NO_OFFICIAL}</strong>'
            in page)
    assert "không có gì phải làm" not in page.split('id="tieu-chi-reception_days_ratio"')[1].split("</section>")[0]


def test_xlsx_notes_a_shortfall(login, org, world):
    note = _note_of(login("supervisor").get(XLSX).data, "Sở Y tế")
    assert f"Ngày tiếp công dân định kỳ đã tiếp so với số phải tiếp: {NO_OFFICIAL}" in note


def test_xlsx_flags_a_value_waiting_for_verification_as_the_page_does(login, session, org, world):
    entry(session, org["d4"], 1, "submitted", key="dan_van_kheo_models")
    entry(session, org["dept"], 3, "rejected", key="grassroots_democracy")
    browser = login("supervisor")
    assert "1 tiêu chí chờ xác minh" in browser.get(BOARD).get_data(as_text=True)
    data = browser.get(XLSX).data
    assert 'Mô hình "Dân vận khéo" đã đăng ký: kê khai 1, chưa xác minh' in _note_of(data, "Sở Công Thương")
    assert "Thực hiện quy chế dân chủ ở cơ sở: kê khai 3, không xác nhận" in _note_of(data, "Sở NN&MT")


def test_xlsx_carries_the_criteria_sets_review_note_as_the_page_does(login, org, world):
    browser = login("supervisor")
    assert "khung để vận hành, chờ đối chiếu với quyết định" in browser.get(BOARD).get_data(as_text=True)
    assert any(t.startswith("Lưu ý: ") and "chờ đối chiếu với quyết định" in t for t in _texts(browser.get(XLSX).data))
