"""The scorecard pages: the board with ranks and ties, a unit's drill-down, filling a manual criterion with evidence
and a supervisor verifying it (the score then counts it), the XLSX, the register of "Dân vận khéo" models, and bad
input answered with a message naming the field."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from reports.scorecard_fixtures import build
from sqlalchemy import select

from dvflow.models import DanVanKheoModel, ScorecardEntry

BOARD = "/bang-dieu-khien/cham-diem?nam=2026&cap=department"


@pytest.fixture
def world(app, session, org):
    return build(session, app.extensions["dvflow.workflows"], org)


def board_rows(html: str) -> list[tuple[str, str, str]]:
    """(rank, unit name, total) of each row of the board."""
    rows = re.findall(r'<tr data-unit="\d+">\s*<td class="num" data-col="rank">(\d+)</td>\s*<th scope="row"><a [^>]*>'
                      r'([^<]+)</a>.*?data-col="total"><strong>([\d.]+)</strong>', html, re.S)
    return rows


def review_form(browser, unit_id: int, entry_id: int) -> dict[str, str]:
    """The hidden fields of the unit page's review form of the entry (the submission it shows); {} without one."""
    page = browser.get(f"/bang-dieu-khien/cham-diem/don-vi/{unit_id}?nam=2026").get_data(as_text=True)
    form = re.search(rf'action="/bang-dieu-khien/cham-diem/xac-minh/{entry_id}"(.*?)</form>', page, re.S)
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(1))) if form else {}


def test_board_ranks_with_ties(login, org, world):
    html = login("supervisor").get(BOARD).get_data(as_text=True)
    assert board_rows(html) == [("1", "Sở Y tế", "75"), ("2", "Sở NN&amp;MT", "73"), ("2", "Sở Xây dựng", "73"),
                                ("4", "Sở Công Thương", "71")]
    assert "Quyết định của UBND tỉnh về tiêu chí đánh giá công tác dân vận chính quyền" in html
    assert html.count("tiêu chí chờ xác minh") == 0  # the fixture's waiting value is of the test YAML's criterion


def test_board_flags_values_waiting_for_verification(login, session, org, world):
    from reports.scorecard_fixtures import entry

    entry(session, org["d4"], 1, "submitted", key="dan_van_kheo_models")
    html = login("supervisor").get(BOARD).get_data(as_text=True)
    assert re.search(r'Sở Công Thương</a>\s*<span class="badge waiting">1 tiêu chí chờ xác minh</span>', html)
    assert html.count("tiêu chí chờ xác minh") == 1


def test_heads_see_their_subtree_and_handlers_not_the_board(login, org, world):
    html = login("head").get(BOARD).get_data(as_text=True)
    assert board_rows(html) == [("2", "Sở NN&amp;MT", "73")]
    assert login("handler").get(BOARD).status_code == 403
    assert login("head").get(f"/bang-dieu-khien/cham-diem/don-vi/{org['other'].id}?nam=2026").status_code == 403


@pytest.mark.parametrize("query, text", [("nam=2031", "Năm chấm điểm không hợp lệ"),
                                         ("nam=2026&cap=village", "Cấp đơn vị không hợp lệ"),
                                         ("nam=2024", "Chưa có bộ tiêu chí")])
def test_bad_choices_say_which_field(login, org, world, query, text):
    resp = login("supervisor").get(f"/bang-dieu-khien/cham-diem?{query}")
    assert resp.status_code == 400 and text in resp.get_data(as_text=True)
    assert 'aria-invalid="true"' in resp.get_data(as_text=True)


def test_unit_page_drills_down(login, org, world):
    html = login("supervisor").get(f"/bang-dieu-khien/cham-diem/don-vi/{org['dept'].id}?nam=2026").get_data(
        as_text=True)
    assert "Hạng 2 trong 4 đơn vị cùng cấp" in html
    mass = re.search(r'id="tieu-chi-mass_cases".*?<a href="(/ho-so\?[^"]+)"', html, re.S).group(1)
    assert sorted(mass.replace("&amp;", "&").split("?")[1].split("&")) == [
        f"don_vi={org['dept'].id}", "dong_nguoi=1", "nhan_den=2026-12-31", "nhan_tu=2026-01-01",
        "pham_vi=vu_viec"]
    on_time = html.split('id="tieu-chi-on_time_rate"')[1].split("</section>")[0].replace("&amp;", "&")
    links = dict(re.findall(r'<li>([^:<]+): <a href="/ho-so\?([^"]+)">', on_time))
    assert sorted(links["Hồ sơ đúng hạn"].split("&")) == [
        f"don_vi={org['dept'].id}", "pham_vi=tru_noi_bo", "thoi_han=met", "thoi_han_den=2026-12-31",
        "thoi_han_tu=2026-01-01"]
    assert "thoi_han=missed" in links["Hồ sơ trễ hạn"] and "qua_han=1" in links["Hồ sơ quá hạn cuối năm"]
    assert "/doi-thoai/tuan-thu?nam=2026" in html and "/tiep-nhan/tuan-thu?ky=year" in html
    assert "/bang-dieu-khien/dan-van-kheo?nam=2026" in html
    assert 'id="so-mo-hinh">Sổ mô hình "Dân vận khéo" ghi 0 mô hình của đơn vị năm 2026.</p>' in html


def test_fill_then_verify_counts_the_value(app, login, session, org, world):
    handler = login("handler")
    url = f"/bang-dieu-khien/cham-diem/don-vi/{org['dept'].id}"
    resp = handler.post(f"{url}/ke-khai", {"nam": "2026", "tieu_chi": "dan_van_kheo_models", "gia_tri": "2",
                                           "ghi_chu": "Hai mô hình",
                                           "minh_chung": (io.BytesIO(b"%PDF-1.4 bien ban"), "bien-ban.pdf")},
                        token_from=f"{url}?nam=2026", content_type="multipart/form-data")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:400]
    entry = session.scalar(select(ScorecardEntry).where(ScorecardEntry.criterion == "dan_van_kheo_models"))
    assert (entry.value, entry.status, entry.files[0].filename) == (2, "submitted", "bien-ban.pdf")
    supervisor = login("supervisor")
    assert board_rows(supervisor.get(BOARD).get_data(as_text=True))[1] == ("2", "Sở NN&amp;MT", "73")
    form = review_form(supervisor, org["dept"].id, entry.id)
    assert form["lan_ke_khai"] == str(entry.events[-1].id) and review_form(handler, org["dept"].id, entry.id) == {}
    verify = {"lan_ke_khai": form["lan_ke_khai"], "ket_qua": "verified"}
    assert handler.post(f"/bang-dieu-khien/cham-diem/xac-minh/{entry.id}", verify).status_code == 403
    # the administrator manages accounts; verifying is the supervisor's alone
    admin = login("admin").post(f"/bang-dieu-khien/cham-diem/xac-minh/{entry.id}", verify)
    assert admin.status_code == 403 and entry.status == "submitted"
    resp = supervisor.post(f"/bang-dieu-khien/cham-diem/xac-minh/{entry.id}", verify)
    assert resp.status_code == 302
    assert board_rows(supervisor.get(BOARD).get_data(as_text=True))[0] == ("1", "Sở NN&amp;MT", "78")
    download = supervisor.get(f"/bang-dieu-khien/cham-diem/tep/{entry.files[0].id}")
    assert download.status_code == 200 and download.data == b"%PDF-1.4 bien ban"
    assert login("other_head").get(f"/bang-dieu-khien/cham-diem/tep/{entry.files[0].id}").status_code == 404


def test_fill_bad_value_names_the_field(login, org, world):
    url = f"/bang-dieu-khien/cham-diem/don-vi/{org['dept'].id}"
    resp = login("head").post(f"{url}/ke-khai", {"nam": "2026", "tieu_chi": "dan_van_kheo_models",
                                                 "gia_tri": "hai"}, token_from=f"{url}?nam=2026")
    assert resp.status_code == 400 and "Giá trị: nhập một số." in resp.get_data(as_text=True)


def test_xlsx_headings_and_totals(login, org, world):
    resp = login("supervisor").get("/bang-dieu-khien/cham-diem.xlsx?nam=2026&cap=department")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.data)).active
    cells = [list(r) for r in ws.iter_rows(values_only=True)]
    header = next(r for r in cells if "Tổng điểm" in r)
    assert "Vụ việc đông người phát sinh" in [v for r in cells for v in r]
    rows = [(r[1], r[header.index("Tổng điểm")], r[header.index("Xếp hạng")]) for r in cells
            if r[1] in ("Sở Y tế", "Sở NN&MT", "Sở Xây dựng", "Sở Công Thương")]
    assert rows == [("Sở Y tế", 75, 1), ("Sở NN&MT", 73, 2), ("Sở Xây dựng", 73, 2), ("Sở Công Thương", 71, 4)]


def test_register_a_model_and_list_it(login, session, org):
    handler = login("handler")
    resp = handler.post("/bang-dieu-khien/dan-van-kheo",
                        {"don_vi": str(org["dept"].id), "nam": "2026", "ten": "Dân vận khéo trong giải phóng mặt bằng",
                         "linh_vuc": "Đất đai", "bat_dau": "2026-02-01", "ket_qua": "Bàn giao đúng hạn",
                         "minh_chung": (io.BytesIO(b"anh"), "anh.jpg")},
                        token_from="/bang-dieu-khien/dan-van-kheo", content_type="multipart/form-data")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:400]
    model = session.scalar(select(DanVanKheoModel))
    assert (model.name, model.unit_id, len(model.files)) == ("Dân vận khéo trong giải phóng mặt bằng",
                                                             org["dept"].id, 1)
    assert "Dân vận khéo trong giải phóng mặt bằng" in login("supervisor").get(
        "/bang-dieu-khien/dan-van-kheo").get_data(as_text=True)
    assert "Dân vận khéo trong giải phóng mặt bằng" not in login("other_head").get(
        "/bang-dieu-khien/dan-van-kheo").get_data(as_text=True)
    bad = handler.post("/bang-dieu-khien/dan-van-kheo", {"don_vi": str(org["dept"].id), "nam": "2026", "ten": "X",
                                                         "linh_vuc": "Đất đai", "bat_dau": "01/02/2026"},
                       token_from="/bang-dieu-khien/dan-van-kheo")
    assert bad.status_code == 400 and "Ngày bắt đầu" in bad.get_data(as_text=True)


def test_pages_in_english(login, org, world):
    browser = login("supervisor")
    assert browser.get("/ngon-ngu/en").status_code in (302, 303)
    board = browser.get(BOARD).get_data(as_text=True)
    assert "Scorecard of dân vận work" in board and "Mass cases that arose" in board and "Total score" in board
    assert "Chấm điểm công tác dân vận" not in board and "Tổng điểm" not in board
    unit = browser.get(f"/bang-dieu-khien/cham-diem/don-vi/{org['dept'].id}?nam=2026").get_data(as_text=True)
    assert "Rank 2 among 4 units of the same level" in unit and "Fewer is better" in unit
    register = browser.get("/bang-dieu-khien/dan-van-kheo").get_data(as_text=True)
    assert "Register a model" not in register  # a supervisor registers nothing
    assert "No models yet." in register and "Chưa có mô hình nào." not in register


def test_the_unit_card_shows_each_submission_and_review(login, session, org, world):
    """Rejected, then submitted again: the card shows the value that counts and, below it, the whole trail with
    who did what and the supervisor's reason."""
    handler, supervisor = login("handler"), login("supervisor")
    url = f"/bang-dieu-khien/cham-diem/don-vi/{org['dept'].id}"

    def fill(value: str, note: str):
        resp = handler.post(f"{url}/ke-khai", {"nam": "2026", "tieu_chi": "dan_van_kheo_models", "gia_tri": value,
                                               "ghi_chu": note,
                                               "minh_chung": (io.BytesIO(b"%PDF-1.4 bien ban"), "bien-ban.pdf")},
                            token_from=f"{url}?nam=2026", content_type="multipart/form-data")
        assert resp.status_code == 302

    fill("3", "Ba mô hình")
    entry = session.scalar(select(ScorecardEntry).where(ScorecardEntry.unit_id == org["dept"].id,
                                                        ScorecardEntry.criterion == "dan_van_kheo_models"))
    assert supervisor.post(f"/bang-dieu-khien/cham-diem/xac-minh/{entry.id}",
                           {**review_form(supervisor, org["dept"].id, entry.id), "ket_qua": "rejected",
                            "ghi_chu": "Sổ chỉ ghi hai mô hình"}).status_code == 302
    fill("2", "Hai mô hình")
    html = supervisor.get(f"{url}?nam=2026").get_data(as_text=True)
    trail = html[html.index('id="lich-su-dan_van_kheo_models"'):]
    trail = trail[:trail.index("</details>")]
    assert re.findall(r'<tr data-action="(\w+)">', trail) == ["submitted", "rejected", "submitted"]
    assert "Sổ chỉ ghi hai mô hình" in trail and "Ba mô hình" in trail and "Hai mô hình" in trail
    assert "1 tệp minh chứng" in trail
