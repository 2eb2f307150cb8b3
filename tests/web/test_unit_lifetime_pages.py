"""The pages after a unit was dissolved (the 2025 mergers): forms offer only the units that still exist, the case
page says why a case moved, and the administrator sees each unit's lifetime and sets a new unit's first day."""
from __future__ import annotations

import html
import re
from datetime import date

from sqlalchemy import select

from dvflow.models import Unit
from dvflow.services.org import accounts
from dvflow.services.org.units import dissolve_unit

from .helpers import make_case


def _text(resp) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", resp.get_data(as_text=True)).split()))


def _dissolve(app, session):
    dissolve_unit(session, None, "STNMT", date(2026, 7, 1), "SYT", app.config["NOW"]())


def test_the_intake_form_offers_only_units_that_still_exist(app, session, org, login):
    accounts.grant_role(session, org["users"]["reception"], org["other"], "reception")
    _dissolve(app, session)
    page = login("reception").get("/tiep-nhan/moi").get_data(as_text=True)
    picker = page.split('name="unit_id"')[1].split("</select>")[0]
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', picker)
    assert [name for _id, name in options] == ["Sở Y tế"]


def test_a_receiving_officer_of_a_dissolved_unit_only_has_no_intake_form(app, session, org, login):
    _dissolve(app, session)
    assert login("reception").get("/tiep-nhan/moi").status_code == 403


def test_the_case_page_says_the_case_moved_because_its_unit_was_merged(app, session, org, login):
    case = make_case(app, session, org)
    _dissolve(app, session)
    text = _text(login("other_head").get(f"/ho-so/{case.id}"))
    assert "Chuyển đơn vị giải quyết" in text and "STNMT → SYT" in text
    assert ("Đơn vị Sở NN&MT (STNMT) giải thể, sáp nhập vào Sở Y tế (SYT) từ ngày 01/07/2026: hồ sơ chuyển sang "
            "đơn vị kế thừa, thời hạn giải quyết giữ nguyên.") in text


def test_the_admin_sees_each_units_lifetime_and_sets_a_new_units_first_day(app, session, org, login):
    _dissolve(app, session)
    admin = login("admin")
    text = _text(admin.get("/quan-tri/don-vi"))
    assert "Giải thể từ 01/07/2026, sáp nhập vào Sở Y tế" in text
    page = admin.get("/quan-tri/don-vi").get_data(as_text=True)
    parents = page.split('name="parent_code"')[1].split("</select>")[0]
    assert "STNMT" not in parents and "SYT" in parents
    resp = admin.post("/quan-tri/don-vi", {"code": "XA-MOI", "name": "Xã Mới", "level": "commune",
                                           "parent_code": "TINH", "active_from": "2025-07-01"},
                      token_from="/quan-tri/don-vi")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    assert session.scalar(select(Unit).where(Unit.code == "XA-MOI")).active_from == date(2025, 7, 1)
    assert "Từ 01/07/2025" in _text(admin.get("/quan-tri/don-vi"))
    resp = admin.post("/quan-tri/don-vi", {"code": "XA-SAI", "name": "Xã Sai", "level": "commune",
                                           "active_from": "01/07/2025"}, token_from="/quan-tri/don-vi")
    assert resp.status_code == 400 and "Ngày bắt đầu hoạt động không hợp lệ" in resp.get_data(as_text=True)


def test_the_admin_sets_a_units_head_title_on_create_and_on_its_row(app, session, org, login):
    """The title the unit's head signs documents under (units.head_title), shown with the level's as the default."""
    admin = login("admin")
    resp = admin.post("/quan-tri/don-vi", {"code": "THANHTRA", "name": "Thanh tra tỉnh", "level": "department",
                                           "parent_code": "TINH", "head_title": "Chánh Thanh tra"},
                      token_from="/quan-tri/don-vi")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    unit = session.scalar(select(Unit).where(Unit.code == "THANHTRA"))
    assert unit.head_title == "Chánh Thanh tra"
    page = admin.get("/quan-tri/don-vi").get_data(as_text=True)
    assert 'value="Chánh Thanh tra"' in page
    assert "Theo cấp đơn vị: Giám đốc" in page  # a unit without a title of its own: its level's, shown
    resp = admin.post("/quan-tri/don-vi/STNMT/chuc-danh", {"head_title": "Giám đốc Sở"},
                      token_from="/quan-tri/don-vi")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    session.expire_all()  # the fixture's unit was loaded before the page changed it
    assert session.scalar(select(Unit).where(Unit.code == "STNMT")).head_title == "Giám đốc Sở"
    resp = admin.post("/quan-tri/don-vi/STNMT/chuc-danh", {"head_title": "x" * 101}, token_from="/quan-tri/don-vi")
    assert resp.status_code == 400 and "Chức danh thủ trưởng" in resp.get_data(as_text=True)
    assert login("head").post("/quan-tri/don-vi/STNMT/chuc-danh", {"head_title": "Vua"}).status_code == 403
