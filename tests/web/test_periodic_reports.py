"""The periodic report page and its XLSX, the case list's drill-down filters and its XLSX (opened with openpyxl:
headings, merged header cells, cell types, totals), and that no denouncer's identity reaches an export."""
from __future__ import annotations

import io
import re
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from reports.fixtures import build

from .helpers import make_denunciation

Q3 = "/bang-dieu-khien/bao-cao-dinh-ky?ky=quarter&so=3&nam=2026&cach_tinh=cutoff"


@pytest.fixture
def world(app, session, org):
    return build(session, app.extensions["dvflow.workflows"], org)


def workbook(resp):
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    assert resp.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(resp.data))


def find(ws, text):
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell
    raise AssertionError(f"{text!r} not in sheet {ws.title}")


def test_page_shows_the_form_layout(login, org, world):
    html = login("head").get(f"{Q3}&don_vi={org['dept'].id}").get_data(as_text=True)
    assert "Báo cáo quý 3 năm 2026" in html and "Số liệu tính từ ngày 15/06/2026 đến ngày 14/09/2026" in html
    assert "Sở NN&amp;MT" in html
    assert 'colspan="5"' in html  # the channels' merged heading over its five columns
    assert "Theo hình thức tiếp nhận" in html and "Vụ việc đông người" in html
    # the drill-down of the received denunciations: the case list of the unit and the period
    links = re.findall(r'href="(/ho-so\?[^"]*)"', html)
    assert any("kind=denunciation" in u and "nhan_tu=2026-06-15" in u and "nhan_den=2026-09-14" in u for u in links)
    assert "theo dõi thực hiện kết luận, cam kết" in html  # follow-up tasks are said to be left out


def test_drill_down_lists_the_cases_behind_a_figure(login, org, world):
    browser = login("head")
    html = browser.get(f"/ho-so?kind=complaint_first&don_vi={org['dept'].id}&nhan_tu=2026-06-15"
                       f"&nhan_den=2026-09-14").get_data(as_text=True)
    assert world["c2"].tracking_code in html
    assert world["c1"].tracking_code not in html  # received on 14/06
    html = browser.get("/ho-so?dong_nguoi=1&nhan_tu=2026-06-15&nhan_den=2026-09-14").get_data(as_text=True)
    assert world["c4"].tracking_code in html and world["c2"].tracking_code not in html
    html = browser.get("/ho-so?xong_tu=2026-06-15&xong_den=2026-09-14&kind=complaint_first").get_data(as_text=True)
    assert world["c1"].tracking_code in html and world["c2"].tracking_code in html
    resp = browser.get("/ho-so?nhan_tu=15-06-2026")
    assert resp.status_code == 200 and "Nhận từ ngày không hợp lệ" in resp.get_data(as_text=True)


def test_bad_period_is_a_message_not_an_error_page(login, org, world):
    browser = login("head")
    resp = browser.get("/bang-dieu-khien/bao-cao-dinh-ky?ky=quarter&so=9&nam=2026")
    assert resp.status_code == 400 and "Số kỳ phải từ 1 đến 4" in resp.get_data(as_text=True)
    resp = browser.get("/bang-dieu-khien/bao-cao-dinh-ky?ky=year&nam=2030")
    assert resp.status_code == 400 and "Kỳ báo cáo chưa bắt đầu" in resp.get_data(as_text=True)
    resp = browser.get(f"{Q3}&don_vi={org['other'].id}")  # the department's head may not see Sở Y tế
    assert resp.status_code == 400 and "không được xem số liệu" in resp.get_data(as_text=True)
    assert browser.get(f"{Q3}&nam=abc").status_code in (200, 400)


def test_report_xlsx(login, org, world):
    url = Q3.replace("bao-cao-dinh-ky", "bao-cao-dinh-ky.xlsx") + f"&don_vi={org['dept'].id}"
    wb = workbook(login("head").get(url))
    assert wb.sheetnames == ["don", "tiep-nhan", "ket-qua", "dung-han", "hai-long", "tiep-cong-dan", "doi-thoai"]
    ws = wb["tiep-nhan"]
    assert ws["A1"].value == "Sở NN&MT" and ws["A2"].value == "Báo cáo quý 3 năm 2026"
    assert ws["A3"].value == "Số liệu tính từ ngày 15/06/2026 đến ngày 14/09/2026"
    group = find(ws, "Theo hình thức tiếp nhận")
    merged = [str(r) for r in ws.merged_cells.ranges]
    assert any(r.startswith(group.coordinate + ":") for r in merged)  # merged over the channel columns
    total = find(ws, "Tổng cộng")
    values = [c.value for c in ws[total.row]]
    assert values[1] == 4 and isinstance(values[1], int)  # numbers are numbers
    assert ws.freeze_panes is not None
    assert find(ws, "Người lập biểu") and find(ws, "Thủ trưởng cơ quan, đơn vị (ký tên, đóng dấu)")
    letters = wb["don"]  # the letters carried over, received, handled and waiting, as on the page
    total_row = [c.value for c in letters[find(letters, "Tổng cộng").row]]
    figures = {h: total_row[find(letters, h).column - 1] for h in ("Kỳ trước chuyển sang", "Tiếp nhận trong kỳ",
                                                                   "Đã xử lý trong kỳ", "Chưa xử lý xong đến cuối kỳ")}
    assert list(figures.values()) == [1, 6, 4, 3] and find(letters, "Số đơn phải xử lý")


def test_case_list_xlsx_with_filters(login, org, world):
    wb = workbook(login("head").get("/ho-so/xuat-excel?kind=complaint_first&nhan_tu=2026-06-01&nhan_den=2026-09-14"))
    ws = wb.active
    assert ws["A2"].value == "Danh sách hồ sơ"
    header = find(ws, "Mã hồ sơ").row
    codes = [ws.cell(row=r, column=2).value for r in range(header + 2, ws.max_row + 1)]
    assert world["c1"].tracking_code in codes and world["c2"].tracking_code in codes
    assert world["c9"].tracking_code not in codes  # voided
    row = codes.index(world["c2"].tracking_code) + header + 2
    received = ws.cell(row=row, column=3)
    assert isinstance(received.value, datetime) and received.value.date() == date(2026, 6, 15)
    assert received.number_format == "dd/mm/yyyy"
    assert isinstance(ws.cell(row=row, column=1).value, int)


def test_no_denouncer_identity_in_exports(app, session, login, org):
    case = make_denunciation(app, session, org, "Nội dung tố cáo mật")
    browser = login("head")
    for url in ("/ho-so/xuat-excel", "/ho-so/xuat-excel?kind=denunciation",
                "/bang-dieu-khien/bao-cao-dinh-ky.xlsx?ky=quarter&so=4&nam=2026",
                "/bang-dieu-khien/qua-han.xlsx"):
        resp = browser.get(url)
        if url.startswith("/ho-so"):
            wb = workbook(resp)
            cells = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
            assert case.tracking_code in cells or "qua-han" in url
        else:
            wb = workbook(resp)
            cells = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
        assert not any("Phạm Văn Dũng" in v or "079000111222" in v for v in cells), url


def test_letter_and_result_drill_downs(login, org, world):
    browser = login("head")
    html = browser.get(f"{Q3}&don_vi={org['dept'].id}").get_data(as_text=True)
    links = [u.replace("&amp;", "&") for u in re.findall(r'href="(/ho-so\?[^"]*)"', html)]
    guided = next(u for u in links if "state=guided" in u and "kind=triage" in u)
    listed = browser.get(guided).get_data(as_text=True)
    assert world["l2"].tracking_code in listed and world["l1"].tracking_code not in listed
    forwarded = [u for u in links if "state=forwarded" in u]
    assert not forwarded  # l5 was forwarded after the period's end: 0, so no link
    answered = next(u for u in links if "state=closed" in u and "kind=petition" in u)
    assert world["c5"].tracking_code in browser.get(answered).get_data(as_text=True)


def test_bad_filters_and_exports_never_fail(client, login, org):
    for url in ("/ho-so/xuat-excel", "/bang-dieu-khien/qua-han.xlsx", "/bang-dieu-khien/tong-hop.xlsx",
                "/bang-dieu-khien/bao-cao-dinh-ky", "/bang-dieu-khien/bao-cao-dinh-ky.xlsx"):
        assert client.get(url).status_code == 302  # login first
    browser = login("handler")
    html = browser.get("/ho-so?don_vi=99999999&kenh=bo-cau&nhan_tu=2026-13-01&xong_den=x").get_data(as_text=True)
    assert "Hình thức tiếp nhận không hợp lệ" in html and "Nhận từ ngày không hợp lệ" in html
    assert "Kết thúc đến ngày không hợp lệ" in html
    assert browser.get("/ho-so?don_vi=123456789012").status_code == 200
    assert browser.get("/ho-so/xuat-excel?nhan_tu=abc&don_vi=999").status_code == 200
    resp = browser.get("/bang-dieu-khien/bao-cao-dinh-ky.xlsx?ky=tuan")
    assert resp.status_code == 400 and "Loại kỳ báo cáo không hợp lệ" in resp.get_data(as_text=True)
    assert browser.get("/bang-dieu-khien/tong-hop.xlsx?ky=zzz").status_code == 200
    assert browser.get("/bang-dieu-khien/bao-cao-dinh-ky?ky=month&so=x&nam=y&don_vi=z").status_code == 400
