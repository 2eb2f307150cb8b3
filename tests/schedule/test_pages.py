"""The staff pages of reception schedules: officials, planning and publishing sessions, the session page with its
bookings, cancelling, delegating, compliance; errors in Vietnamese naming the field, never a 500."""
from __future__ import annotations

from datetime import date

from factories import NOW
from sqlalchemy import select

from config import ROOT
from dvflow.models import ReceptionOfficial, ReceptionSession
from dvflow.services.reception import bookings, officials
from dvflow.services.reception.compliance import schedule_rules

from .helpers import published_session

RULES = schedule_rules(str(ROOT / "workflows"))


def add_official(session, org, **kw):
    data = dict(unit_id=org["dept"].id, full_name="Nguyễn Văn An", title="Giám đốc Sở", position="agency_head",
                active_from=date(2025, 1, 1), active_to=None, username="head")
    data.update(kw)
    return officials.add_official(session, org["users"]["head"], RULES, officials.OfficialInput(**data), NOW)


def test_a_head_adds_an_official_and_errors_name_the_field(app, session, org, login):
    head = login("head")
    page = head.get("/tiep-nhan/nguoi-tiep").get_data(as_text=True)
    assert "Thủ trưởng cơ quan hành chính nhà nước" in page
    assert "Nghị định 64/2014/NĐ-CP, Điều 4, đến 30/6/2026" in page  # the basis of public service units until then
    form = {"unit_id": org["dept"].id, "full_name": "Nguyễn Văn An", "title": "Giám đốc Sở",
            "position": "agency_head", "active_from": "2025-01-01", "username": "head"}
    bad = head.post("/tiep-nhan/nguoi-tiep", {**form, "active_from": "01/13/2025"})
    assert bad.status_code == 400 and "Giữ chức vụ từ ngày không hợp lệ" in bad.get_data(as_text=True)
    bad = head.post("/tiep-nhan/nguoi-tiep", {**form, "title": ""})
    assert bad.status_code == 400 and "Chức vụ: không được để trống" in bad.get_data(as_text=True)
    bad = head.post("/tiep-nhan/nguoi-tiep", {**form, "position": "district_chair", "active_from": "2026-01-01"})
    assert bad.status_code == 400 and "Chức danh theo quy định: chức danh này không có" in bad.get_data(as_text=True)
    assert head.post("/tiep-nhan/nguoi-tiep", form).status_code == 302
    row = session.scalars(select(ReceptionOfficial)).one()
    assert (row.full_name, row.user_id) == ("Nguyễn Văn An", org["users"]["head"].id)
    edited = head.post(f"/tiep-nhan/nguoi-tiep/{row.id}", {**form, "active_to": "2026-12-31"})
    session.expire_all()
    assert edited.status_code == 302 and row.active_to == date(2026, 12, 31)
    assert login("reception").post("/tiep-nhan/nguoi-tiep", form).status_code == 403
    assert login("other_head").get(f"/tiep-nhan/nguoi-tiep/{row.id}").status_code == 404  # as a missing one


def test_reception_plans_publishes_and_sees_bookings_on_the_session_page(app, session, org, login):
    official = add_official(session, org)
    reception = login("reception")
    form = {"unit_id": org["dept"].id, "kind": "periodic", "official_id": official.id, "mode": "in_person",
            "day": "2026-12-03", "start_time": "08:00", "end_time": "10:00", "place": "Hội trường Sở",
            "booking_capacity": "4", "slot_minutes": "30"}
    bad = reception.post("/tiep-nhan/lich/moi", {**form, "end_time": "07:00"})
    assert bad.status_code == 400 and "Giờ kết thúc: phải sau giờ bắt đầu" in bad.get_data(as_text=True)
    bad = reception.post("/tiep-nhan/lich/moi", {**form, "start_time": "8h"})
    assert bad.status_code == 400 and "Giờ bắt đầu không hợp lệ" in bad.get_data(as_text=True)
    created = reception.post("/tiep-nhan/lich/moi", form)
    assert created.status_code == 302
    row = session.scalars(select(ReceptionSession)).one()
    assert reception.post(f"/tiep-nhan/lich/{row.id}/cong-bo").status_code == 302
    session.expire_all()
    assert row.status == "published"
    bookings.book(session, row.id, bookings.BookingInput("Lý Thị Mai", "0911222333", "Tranh chấp ranh giới đất"),
                  NOW)
    page = reception.get(f"/tiep-nhan/lich/{row.id}").get_data(as_text=True)
    assert "Lý Thị Mai" in page and "0911222333" in page and "08:00" in page and "Tranh chấp ranh giới đất" in page
    # the session page and the month's list lead to the session's desk, where the booking is received
    desk = f"/tiep-nhan/phien/{row.id}"
    assert desk in page and "Lý Thị Mai" in reception.get(desk).get_data(as_text=True)
    month = reception.get("/tiep-nhan/lich?thang=2026-12").get_data(as_text=True)
    assert "03/12/2026" in month and "Đã công bố" in month and "Giám đốc Sở Nguyễn Văn An" in month
    assert desk in month
    other_unit = reception.get(f"/tiep-nhan/lich?thang=2026-12&unit={org['other'].id}").get_data(as_text=True)
    assert "Hội trường Sở" not in other_unit and "Không có phiên tiếp công dân nào trong tháng" in other_unit
    handler_view = login("handler").get(f"/tiep-nhan/lich/{row.id}")  # same unit: reads, without citizens' data
    assert handler_view.status_code == 200 and "1 lượt đã đặt" in handler_view.get_data(as_text=True)
    assert "Lý Thị Mai" not in handler_view.get_data(as_text=True)
    assert "Lý Thị Mai" not in login("supervisor").get(f"/tiep-nhan/lich/{row.id}").get_data(as_text=True)
    assert login("other_head").get(f"/tiep-nhan/lich/{row.id}").status_code == 404  # as a missing one
    assert login("handler").post(f"/tiep-nhan/lich/{row.id}/huy", {"reason": "x"}).status_code == 403


def test_late_publishing_is_refused_citing_the_law(app, session, org, login):
    official = add_official(session, org)
    row = published_session(session, org, kind="periodic", official_id=official.id, day=date(2026, 12, 2),
                            publish=False)
    answer = login("reception").post(f"/tiep-nhan/lich/{row.id}/cong-bo")
    text = answer.get_data(as_text=True)
    session.expire_all()
    assert answer.status_code == 400 and "Điều 24 khoản 4" in text and row.status == "planned"


def test_cancel_and_delegate_from_the_session_page(app, session, org, login):
    official = add_official(session, org)
    row = published_session(session, org, kind="periodic", official_id=official.id)
    head = login("head")
    bad = head.post(f"/tiep-nhan/lich/{row.id}/uy-quyen", {"delegate_name": "Phó Giám đốc Lê D"})
    assert bad.status_code == 400 and "Lý do ủy quyền" in bad.get_data(as_text=True)
    assert head.post(f"/tiep-nhan/lich/{row.id}/uy-quyen", {"delegate_name": "Phó Giám đốc Lê D",
                                                           "delegation_reason": "Đi công tác"}).status_code == 302
    assert "Phó Giám đốc Lê D" in head.get("/lich-tiep-cong-dan").get_data(as_text=True)
    bad = head.post(f"/tiep-nhan/lich/{row.id}/huy", {"reason": ""})
    assert bad.status_code == 400 and "Lý do hủy" in bad.get_data(as_text=True)
    assert head.post(f"/tiep-nhan/lich/{row.id}/huy", {"reason": "Trùng họp HĐND"}).status_code == 302
    session.expire_all()
    assert row.status == "cancelled"
    assert "Lý do: Trùng họp HĐND" in head.get("/lich-tiep-cong-dan").get_data(as_text=True)  # shown as cancelled


def test_compliance_page_for_heads_and_supervisors(app, session, org, login):
    official = add_official(session, org)
    held = published_session(session, org, kind="periodic", official_id=official.id, day=date(2026, 11, 26),
                             publish=False)
    held.status = "held"
    session.flush()
    page = login("supervisor").get("/tiep-nhan/tuan-thu?ky=month&ngay=2026-11-01")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Giám đốc Sở Nguyễn Văn An" in text and "Điều 18 khoản 2" in text
    assert "Nguyễn Văn An" not in login("other_head").get("/tiep-nhan/tuan-thu").get_data(as_text=True)
    bad = login("head").get("/tiep-nhan/tuan-thu?ky=range&ngay=2026-11-30&den=2026-11-01")
    assert bad.status_code == 400 and "Đến ngày" in bad.get_data(as_text=True)
    assert login("head").get("/tiep-nhan/tuan-thu?ngay=hôm-qua").status_code == 400


def test_home_page_of_a_linked_head_and_the_dashboard_show_compliance(app, session, org, login):
    official = add_official(session, org)  # linked to the login "head"
    published_session(session, org, kind="periodic", official_id=official.id, day=date(2026, 12, 3))
    early = published_session(session, org, kind="periodic", official_id=official.id, day=date(2026, 11, 26),
                              publish=False)
    early.status = "held"
    session.flush()
    home = login("head").get("/trang-chu").get_data(as_text=True)
    assert "Lịch tiếp công dân định kỳ của tôi" in home and "03/12/2026" in home
    assert "Tháng này: phải tiếp 1 ngày, đã tiếp 1" in home
    assert "Lịch tiếp công dân định kỳ của tôi" not in login("handler").get("/trang-chu").get_data(as_text=True)
    board = login("supervisor").get("/bang-dieu-khien").get_data(as_text=True)
    assert "Tiếp công dân định kỳ của người đứng đầu" in board and "Giám đốc Sở Nguyễn Văn An" in board


def test_control_characters_in_the_staff_forms_are_refused(app, session, org, login):
    head = login("head")
    bad = head.post("/tiep-nhan/nguoi-tiep", {"unit_id": org["dept"].id, "full_name": "A\x01", "title": "B",
                                              "position": "agency_head", "active_from": "2025-01-01",
                                              "username": "x\x01"})
    assert bad.status_code == 400 and "Họ và tên: có ký tự điều khiển" in bad.get_data(as_text=True)
    bad = head.post("/tiep-nhan/lich/moi", {"unit_id": org["dept"].id, "kind": "regular", "mode": "in_person",
                                            "day": "2026-12-03", "start_time": "08:00", "end_time": "09:00",
                                            "place": "Phòng\x01"})
    assert bad.status_code == 400 and "Địa điểm: có ký tự điều khiển" in bad.get_data(as_text=True)
    # a NUL is refused by the pages' request boundary before the form is read, naming the field
    bad = head.post("/tiep-nhan/lich/moi", {"unit_id": org["dept"].id, "kind": "regular", "mode": "in_person",
                                            "day": "2026-12-03", "start_time": "08:00", "end_time": "09:00",
                                            "place": "Phòng\x00"})
    assert bad.status_code == 400 and "“place” không được chứa ký tự NUL" in bad.get_data(as_text=True)
    assert head.get("/tiep-nhan/lich?thang=2026-13&unit=x").status_code == 200
