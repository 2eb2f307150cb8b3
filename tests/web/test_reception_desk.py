"""The session desk and the reception book pages (CSRF on, SQLite and PostgreSQL)."""
from __future__ import annotations

import re
from datetime import date, time
from html import unescape

from reception.helpers import make_booking, make_official, make_session
from sqlalchemy import select

from dvflow.models import Case, Document, ReceptionSession, ReceptionVisit

FORM = {"citizen_name": "Nguyễn Văn An", "address": "Thôn 3, xã Tân Lập", "identity_number": "001086000123",
        "summary": "Khiếu nại quyết định thu hồi đất", "content_type": "complaint", "people_count": "1",
        "outcome": "answered", "result_note": "Đã giải thích chính sách bồi thường"}


def _desk(rs) -> str:
    return f"/tiep-nhan/phien/{rs.id}"


def _post_visit(b, rs, **kw):
    return b.post(f"{_desk(rs)}/luot", {**FORM, **kw}, token_from=_desk(rs))


def test_the_desk_records_each_outcome(session, login, org):
    rs = make_session(session, org["dept"])
    b = login("reception")
    assert _post_visit(b, rs).status_code == 302
    assert _post_visit(b, rs, outcome="guided", guided_to="UBND xã Tân Lập", guidance_number="12/HD").status_code == 302
    opened = _post_visit(b, rs, outcome="case_opened", case_kind="complaint_first", result_note="")
    assert opened.status_code == 302
    refused = _post_visit(b, rs, outcome="refused", refusal_ground="persistent_resolved", result_note="")
    assert refused.status_code == 302
    rows = session.scalars(select(ReceptionVisit).order_by(ReceptionVisit.seq)).all()
    assert [(v.seq, v.outcome) for v in rows] == [(1, "answered"), (2, "guided"), (3, "case_opened"), (4, "refused")]
    case = session.get(Case, rows[2].case_id)
    html = b.get(_desk(rs)).get_data(as_text=True)
    assert case.tracking_code in html and f"/tiep-nhan/{case.id}/phieu-hen" in html
    assert "UBND xã Tân Lập (12/HD)" in html and "Luật Tiếp công dân 2013, Điều 9 khoản 3" in html
    assert "30/11/2026" in html  # Wed 25/11 + 3 working days: Thu 26, Fri 27, Mon 30


def test_bad_input_is_shown_on_the_desk_and_nothing_is_written(session, login, org):
    rs = make_session(session, org["dept"])
    b = login("reception")
    resp = _post_visit(b, rs, outcome="guided", guided_to="UBND xã Tân Lập")
    assert resp.status_code == 400 and "Ghi số văn bản hướng dẫn." in resp.get_data(as_text=True)
    assert 'value="UBND xã Tân Lập"' in resp.get_data(as_text=True)  # what was typed stays
    assert _post_visit(b, rs, people_count="abc").status_code == 400
    assert session.scalar(select(ReceptionVisit.id)) is None


def test_a_denunciation_visitor_never_shows(session, login, org):
    rs = make_session(session, org["dept"])
    b = login("reception")
    _post_visit(b, rs, citizen_name="Phạm Văn Dũng", address="Số 9 phố Bí Mật", identity_number="079000111222",
                content_type="denunciation", outcome="refused", refusal_ground="persistent_resolved", result_note="")
    for who in ("reception", "head", "supervisor"):
        for url in (_desk(rs), "/tiep-nhan/so?thang=2026-11&don_vi=%d" % org["dept"].id):
            html = login(who).get(url).get_data(as_text=True)
            assert "Phạm Văn Dũng" not in html and "079000111222" not in html and "Số 9 phố Bí Mật" not in html, url
            assert "Được giữ bí mật" in html, (who, url)


def test_bookings_are_received_or_marked_absent(session, login, org):
    rs = make_session(session, org["dept"])
    came, absent = make_booking(session, rs), make_booking(session, rs, name="Đỗ Văn Vắng", code="DK-0002", slot=time(8, 40))
    b = login("reception")
    html = b.get(f"{_desk(rs)}?dang_ky={came.id}").get_data(as_text=True)
    assert 'value="Lê Thị Hẹn"' in html and f'name="booking_id" value="{came.id}"' in html
    assert _post_visit(b, rs, citizen_name="Lê Thị Hẹn", booking_id=str(came.id)).status_code == 302
    assert b.post(f"{_desk(rs)}/dang-ky/{absent.id}/vang", token_from=_desk(rs)).status_code == 302
    session.expire_all()
    assert (came.status, absent.status) == ("received", "no_show")


def test_an_online_session_closes_only_with_its_recording(session, login, org):
    rs = make_session(session, org["dept"], mode="online")
    b = login("reception")
    resp = b.post(f"{_desk(rs)}/ket-thuc", {"recording_ref": ""}, token_from=_desk(rs))
    assert resp.status_code == 400 and "bản ghi âm, ghi hình" in resp.get_data(as_text=True)
    assert b.post(f"{_desk(rs)}/ket-thuc", {"recording_ref": "NAS/2026/11/25"}, token_from=_desk(rs)).status_code == 302
    session.expire_all()
    assert (rs.status, rs.recording_ref) == ("held", "NAS/2026/11/25")
    assert "visit-form" not in b.get(_desk(rs)).get_data(as_text=True)  # a held session takes no more visits


def test_the_close_form_shows_the_delegation_recorded_on_the_schedule(session, login, org):
    official = make_official(session, org["dept"], title="Giám đốc Sở", position="agency_head")
    rs = make_session(session, org["dept"], kind="periodic", official=official)
    rs.delegate_name, rs.delegation_reason = "Phó Giám đốc Lê Văn B", "Đi công tác"
    session.flush()
    b = login("reception")
    html = b.get(_desk(rs)).get_data(as_text=True)
    assert 'value="Phó Giám đốc Lê Văn B"' in html and 'value="Đi công tác"' in html
    assert b.post(f"{_desk(rs)}/ket-thuc", {"delegate_name": "", "delegation_reason": ""},
                  token_from=_desk(rs)).status_code == 302
    session.expire_all()
    assert (rs.status, rs.delegate_name) == ("held", "Phó Giám đốc Lê Văn B")


def test_refusal_notice_and_conclusion_are_issued_and_downloaded(session, login, org):
    official = make_official(session, org["dept"], title="Giám đốc Sở", position="agency_head")
    rs = make_session(session, org["dept"], kind="periodic", official=official)
    b = login("head")
    _post_visit(b, rs, outcome="refused", refusal_ground="persistent_resolved", result_note="")
    visit = session.scalar(select(ReceptionVisit))
    other = make_session(session, org["dept"])
    assert b.post(f"{_desk(other)}/luot/{visit.id}/thong-bao-tu-choi", token_from=_desk(rs)).status_code == 404
    assert b.post(f"{_desk(rs)}/luot/{visit.id}/thong-bao-tu-choi", token_from=_desk(rs)).status_code == 302
    form = {"summary": "Ghi nhận ý kiến công dân", f"direction-{visit.id}": "Giao Thanh tra Sở rà soát",
            "task-0-unit_id": str(org["dept"].id), "task-0-description": "Rà soát hồ sơ đất", "task-0-days": "10"}
    assert b.post(f"{_desk(rs)}/ket-luan", form, token_from=_desk(rs)).status_code == 302
    docs = session.scalars(select(Document).order_by(Document.id)).all()
    # both notices print TB: the unit's one TB register numbers them, so each "Số, ký hiệu" names one notice
    assert [(d.type, d.number_symbol) for d in docs] == [("reception_refusal_notice", "1/TB-STNMT"),
                                                          ("reception_conclusion_notice", "2/TB-STNMT")]
    html = b.get(_desk(rs)).get_data(as_text=True)
    follow_up = session.scalar(select(Case).where(Case.kind == "follow_up"))
    assert follow_up.unit_id == org["dept"].id and f"/ho-so/{follow_up.id}" in html  # the task is tracked
    links = re.findall(r'href="(/tiep-nhan/phien/\d+/van-ban/\d+\.docx)"', html)
    assert len(links) == 2
    download = b.get(links[1])
    assert download.status_code == 200 and download.data == docs[1].content
    assert login("supervisor").get(links[1]).status_code == 200
    assert login("other_head").get(links[1]).status_code == 404
    again = b.post(f"{_desk(rs)}/ket-luan", form, token_from=_desk(rs))
    assert again.status_code == 409


def test_supervisors_read_others_do_not_see(session, login, org):
    rs = make_session(session, org["dept"])
    make_booking(session, rs)
    sup = login("supervisor")
    html = sup.get(_desk(rs)).get_data(as_text=True)
    assert "visit-form" not in html and "close-form" not in html
    assert "Lê Thị Hẹn" not in html and "0912345678" not in html  # the bookings are the desk's, not the reader's
    assert sup.post(f"{_desk(rs)}/luot", FORM, token_from=_desk(rs)).status_code == 403
    assert login("other_head").get(_desk(rs)).status_code == 404
    assert login("handler").get(_desk(rs)).status_code == 404


def test_a_regular_session_for_today_is_opened_from_the_reception_pages(session, login, org):
    b = login("reception")
    html = b.get("/tiep-nhan/phien").get_data(as_text=True)
    assert "Mở phiên tiếp công dân thường xuyên hôm nay" in html
    resp = b.post("/tiep-nhan/phien/mo", {"unit_id": str(org["dept"].id)}, token_from="/tiep-nhan/phien")
    rs = session.scalar(select(ReceptionSession))
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/tiep-nhan/phien/{rs.id}")
    assert (rs.kind, rs.day) == ("regular", date(2026, 11, 25))
    assert "Mở phiên tiếp công dân thường xuyên hôm nay" not in b.get("/tiep-nhan/phien").get_data(as_text=True)
    listed = login("supervisor").get("/tiep-nhan/phien").get_data(as_text=True)
    assert f"/tiep-nhan/phien/{rs.id}" in listed and "Mở phiên tiếp công dân thường xuyên hôm nay" not in listed
    assert login("other_handler").get("/tiep-nhan/phien").status_code == 403


def test_the_book_lists_visits_and_walk_in_cases_and_pages(app, session, login, org):
    from web.helpers import make_case

    rs = make_session(session, org["dept"])
    b = login("reception")
    _post_visit(b, rs)
    walk_in = make_case(app, session, org, subject="Khiếu nại trực tiếp tại bàn tiếp nhận")
    html = b.get("/tiep-nhan/so?thang=2026-11").get_data(as_text=True)
    assert "Khiếu nại quyết định thu hồi đất" in html and walk_in.tracking_code in html
    assert "Ghi tại form tiếp nhận" in html and "book.css" in html
    assert "Khiếu nại quyết định thu hồi đất" not in b.get("/tiep-nhan/so?thang=2026-10").get_data(as_text=True)


def test_the_book_is_paged(session, login, org, monkeypatch):
    from dvflow.services.reception import book

    monkeypatch.setattr(book, "BOOK_PAGE", 2)
    rs = make_session(session, org["dept"])
    b = login("reception")
    for name in ("Một Người", "Hai Người", "Ba Người"):
        _post_visit(b, rs, citizen_name=name)
    first = b.get("/tiep-nhan/so?thang=2026-11").get_data(as_text=True)
    second = b.get("/tiep-nhan/so?thang=2026-11&trang=2").get_data(as_text=True)
    assert "Một Người" in first and "Hai Người" in first and "Ba Người" not in first
    assert "Ba Người" in second and "Một Người" not in second


def test_the_desk_and_the_book_in_english(session, login, org):
    rs = make_session(session, org["dept"])
    b = login("reception")
    b.get("/ngon-ngu/en")
    html = b.get(_desk(rs)).get_data(as_text=True)
    assert "Record a citizen received" in html and "Save to the reception book" in html
    assert "Ghi lượt tiếp công dân" not in html
    assert "Print the book" in b.get("/tiep-nhan/so").get_data(as_text=True)


def test_the_book_reads_a_month_without_a_query_per_row(app, session, login, org, connection):
    from sqlalchemy import event

    from web.helpers import make_case

    rs = make_session(session, org["dept"])
    b = login("reception")

    def statements() -> int:
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(connection, "before_cursor_execute", listener)
        try:
            assert b.get("/tiep-nhan/so?thang=2026-11").status_code == 200
        finally:
            event.remove(connection, "before_cursor_execute", listener)
        return len(seen)

    _post_visit(b, rs, outcome="case_opened", case_kind="complaint_first", result_note="")
    make_case(app, session, org, subject="Khiếu nại thứ nhất tại bàn tiếp nhận")
    few = statements()
    assert few > 0
    for i in range(4):
        _post_visit(b, rs, citizen_name=f"Công Dân {i}", outcome="case_opened", case_kind="petition",
                    content_type="petition", result_note="")
        make_case(app, session, org, subject=f"Khiếu nại trực tiếp số {i + 2}")
    assert statements() == few


def test_the_book_exports_as_xlsx_with_the_visitors_of_a_denunciation_hidden(app, session, login, org):
    from io import BytesIO

    from openpyxl import load_workbook

    from web.helpers import make_case

    rs = make_session(session, org["dept"])
    b = login("reception")
    _post_visit(b, rs)  # Nguyễn Văn An, answered on the spot
    _post_visit(b, rs, citizen_name="Phạm Văn Dũng", address="Số 9 phố Bí Mật", identity_number="079000111222",
                content_type="denunciation", outcome="refused", refusal_ground="persistent_resolved", result_note="")
    walk_in = make_case(app, session, org, subject="Khiếu nại trực tiếp tại bàn tiếp nhận")
    html = b.get("/tiep-nhan/so?thang=2026-11").get_data(as_text=True)
    assert "/tiep-nhan/so.xlsx?" in html
    resp = b.get(f"/tiep-nhan/so.xlsx?thang=2026-11&don_vi={org['dept'].id}")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    ws = load_workbook(BytesIO(resp.data)).active
    cells = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    text = " ".join(str(v) for v in cells)
    assert "Sổ tiếp công dân, tiếp nhận đơn" in text and "Mẫu số 03/TCD" in text and "Họ tên và địa chỉ" in text
    assert "Phạm Văn Dũng" not in text and "079000111222" not in text and "Số 9 phố Bí Mật" not in text
    assert "Đã được bảo mật" in text and walk_in.tracking_code in text and "Ghi tại form tiếp nhận" in text
    assert "Nguyễn Văn An" in text  # the visitor answered on the spot is not protected
    numbers = [row[0].value for row in ws.iter_rows() if isinstance(row[0].value, int)]
    assert numbers[:2] == [1, 2]  # the book's own numbers (STT), as numbers
    # another department's handler asking for this unit's book gets their own unit's (empty) book
    other = login("other_handler").get(f"/tiep-nhan/so.xlsx?thang=2026-11&don_vi={org['dept'].id}")
    assert other.status_code == 200
    other_text = " ".join(str(c.value) for row in load_workbook(BytesIO(other.data)).active.iter_rows() for c in row)
    assert "Nguyễn Văn An" not in other_text and "Sở Y tế" in other_text


def test_the_walk_in_cases_are_paged_after_the_visits(app, session, login, org, monkeypatch):
    """A month of a large unit holds over a thousand walk-in cases: they are paged with the visits (the last page
    no longer lists them all), in the order they were received."""
    from datetime import timedelta

    from dvflow.services.reception import book
    from web.helpers import make_case

    monkeypatch.setattr(book, "BOOK_PAGE", 2)
    rs = make_session(session, org["dept"])
    b = login("reception")
    _post_visit(b, rs, citizen_name="Người Đến Phiên")
    now = app.config["NOW"]()
    codes = [make_case(app, session, org, subject=f"Khiếu nại tại bàn {i}", received=now - timedelta(hours=3 - i))
             .tracking_code for i in range(3)]
    pages = [b.get(f"/tiep-nhan/so?thang=2026-11&trang={p}").get_data(as_text=True) for p in (1, 2, 3)]
    assert "Người Đến Phiên" in pages[0] and codes[0] in pages[0] and codes[1] not in pages[0]
    assert codes[1] in pages[1] and codes[2] in pages[1] and codes[0] not in pages[1]
    assert "Người Đến Phiên" not in pages[1] and "trang=2" in pages[0]
    # past the last page: the last page (the forms' CSRF tokens carry the second they were made)
    same = [re.sub(r'name="csrf_token"[^>]*>', "", p) for p in (pages[2], pages[1])]
    assert same[0] == same[1]


def test_the_conclusion_form_offers_only_the_units_a_task_may_go_to(session, login, org):
    # the service gives a task only to the user's unit or one below it (commitments.assignable_units): a unit beside
    # or above is not offered, so the head never picks one and is refused
    official = make_official(session, org["dept"], title="Giám đốc Sở", position="agency_head")
    rs = make_session(session, org["dept"], kind="periodic", official=official)
    html = login("head").get(_desk(rs)).get_data(as_text=True)
    form = html[html.index('id="conclusion-form"'):]
    offered = set(re.findall(r'name="task-0-unit_id"[^>]*>(.*?)</select>', form, re.S)[0].split("</option>"))
    names = {unescape(re.sub(r"<[^>]+>", "", o)).strip() for o in offered} - {""}
    assert names == {org["dept"].name}


def test_an_officer_running_the_desk_is_told_the_head_issues_the_notices(session, login, org):
    """The refusal and conclusion notices are the head's (NĐ 154/2026, Điều 4 khoản 3, Điều 25 khoản 2): the desk
    offers their forms to a head only; the reception officer sees who issues them instead of a refused button."""
    official = make_official(session, org["dept"], title="Giám đốc Sở", position="agency_head")
    rs = make_session(session, org["dept"], kind="periodic", official=official)
    officer = login("reception").get(_desk(rs)).get_data(as_text=True)
    assert 'id="conclusion-form"' not in officer and 'id="conclusion-awaits"' in officer
    head = login("head").get(_desk(rs)).get_data(as_text=True)
    assert 'id="conclusion-form"' in head and 'id="conclusion-awaits"' not in head
