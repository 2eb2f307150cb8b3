"""Pages link only where the user may go (review F3): the session desk from the schedule, the scorecard from the
dashboard, a new intake from the receipt; a user the link is hidden from is the one the target refuses."""
from __future__ import annotations

from reception.helpers import make_session

from .helpers import make_case

DESK_LINK = "Bàn tiếp công dân"
DESK_OPEN = "Mở bàn tiếp công dân của phiên"


def test_the_schedule_links_the_desk_only_for_who_may_open_it(session, login, org):
    rs = make_session(session, org["dept"])
    desk, month = f"/tiep-nhan/phien/{rs.id}", "/tiep-nhan/lich?thang=2026-11"
    for who, may in (("reception", True), ("head", True), ("supervisor", True), ("handler", False),
                     ("admin", False)):
        b = login(who)
        listed = b.get(month).get_data(as_text=True)
        shown = b.get(f"/tiep-nhan/lich/{rs.id}")
        assert shown.status_code == 200, who
        assert (f'href="{desk}"' in listed and DESK_LINK in listed) is may, who
        assert (f'href="{desk}"' in shown.get_data(as_text=True)) is may, who
        assert (DESK_OPEN in shown.get_data(as_text=True)) is may, who
        assert (b.get(desk).status_code == 200) is may, who  # the link is shown exactly where the desk opens


def test_the_dashboard_links_the_scorecard_only_for_who_may_see_it(login, org):
    for who, may in (("head", True), ("supervisor", True), ("admin", True), ("handler", False),
                     ("reception", False)):
        b = login(who)
        html = b.get("/bang-dieu-khien").get_data(as_text=True)
        assert ('id="cham-diem"' in html) is may, who
        assert (b.get("/bang-dieu-khien/cham-diem").status_code == 200) is may, who


def test_the_scorecard_refusal_says_who_may_see_it(login, org):
    resp = login("handler").get("/bang-dieu-khien/cham-diem")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 403
    assert "Chỉ thủ trưởng, người giám sát xem được bảng chấm điểm công tác dân vận." in html
    assert "Bạn không có quyền thực hiện thao tác này." not in html


def test_the_receipt_offers_another_intake_only_to_who_may_register(app, session, login, org):
    case = make_case(app, session, org)
    for who, may in (("reception", True), ("head", True), ("supervisor", False)):
        b = login(who)
        resp = b.get(f"/tiep-nhan/{case.id}/phieu-hen")
        html = resp.get_data(as_text=True)
        assert resp.status_code == 200, who
        assert ("Tiếp nhận hồ sơ khác" in html and 'href="/tiep-nhan/moi"' in html) is may, who
        assert (b.get("/tiep-nhan/moi").status_code == 200) is may, who
