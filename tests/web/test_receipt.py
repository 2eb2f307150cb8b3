"""The receipt a citizen keeps: appointment slip or receipt notice, who received it, where, and a QR code that
opens the tracking page; the unit's address and phone, set by an administrator."""
from __future__ import annotations

import re

from sqlalchemy import select

from dvflow.models import Case, CaseEvent
from dvflow.services.cases import public_view, tracking
from dvflow.services.cases.intake import PartyInput
from dvflow.services.org import accounts
from dvflow.web.qr import qr_svg

from .helpers import make_case

BASE = "https://dvflow.anphu.gov.vn"


def _receipt(b, case) -> str:
    resp = b.get(f"/tiep-nhan/{case.id}/phieu-hen")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


SECRET_ON_PAGE = re.compile(r'Mã bí mật</dt><dd><strong class="code">([A-Z0-9]{6})<')


def _reprint(b, case) -> tuple[str, str]:
    """Reissue the secret from the receipt page; the reprinted receipt's html and its new secret."""
    resp = b.post(f"/tiep-nhan/{case.id}/phieu-hen/cap-lai", {}, token_from=f"/tiep-nhan/{case.id}/phieu-hen")
    assert resp.status_code == 302 and resp.location.endswith(f"/tiep-nhan/{case.id}/phieu-hen")
    html = _receipt(b, case)
    return html, SECRET_ON_PAGE.search(html).group(1)


def test_walk_in_slip_has_the_heading_the_people_the_address_and_a_qr_code(app, session, login, org):
    app.config["PUBLIC_BASE_URL"] = BASE + "/"
    accounts.set_unit_contact(session, "STNMT", "Số 12 Nguyễn Huệ, phường An Phú", "0270 3822 333")
    case = make_case(app, session, org)
    html, secret = _reprint(login("reception"), case)
    assert "PHIẾU HẸN" in html and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html and "Độc lập - Tự do - Hạnh phúc" in html
    assert "ngày 25 tháng 11 năm 2026" in html and f"Số: {case.tracking_code}" in html
    assert "Nguyễn Văn An" in html and "Cán bộ reception" in html  # the citizen and the receiving officer
    assert "Số 12 Nguyễn Huệ, phường An Phú" in html and "0270 3822 333" in html
    assert f"{BASE}/tra-cuu" in html  # the full address, from the configured base and not the request's
    link = f"{BASE}/tra-cuu#ma={case.tracking_code}&bm={secret}"
    assert str(qr_svg(link)) in html  # the QR code holds the tracking page with the code and the secret


def test_the_tracking_address_follows_the_request_when_no_base_is_configured(app, session, login, org):
    case = make_case(app, session, org)
    html, secret = _reprint(login("reception"), case)
    assert "http://localhost/tra-cuu" in html
    assert str(qr_svg(f"http://localhost/tra-cuu#ma={case.tracking_code}&bm={secret}")) in html


def test_a_letter_gets_a_receipt_notice(app, session, login, org):
    case = make_case(app, session, org)
    case.channel = "letter"
    session.flush()
    html = _receipt(login("head"), case)
    assert "GIẤY BIÊN NHẬN ĐƠN" in html and "PHIẾU HẸN" not in html and "Người gửi đơn" in html


def test_a_denouncer_is_named_only_to_the_officer_who_received_them(app, session, login, org):
    case = make_case(app, session, org, kind="denunciation", subject="Tố cáo cán bộ địa chính",
                     parties=[PartyInput(role="denouncer", name="Phan Văn Kín", identity_number="001086000555"),
                              PartyInput(role="accused", name="Ông Bị Tố")])
    assert "Phan Văn Kín" in _receipt(login("reception"), case)
    reprint = _receipt(login("head"), case)
    assert "Phan Văn Kín" not in reprint and "001086000555" not in reprint
    assert "thông tin người tố cáo được giữ bí mật" in reprint and "Ông Bị Tố" not in reprint


def test_the_tracking_page_shows_the_units_address(app, session, login, org, client):
    accounts.set_unit_contact(session, "STNMT", "Số 12 Nguyễn Huệ, phường An Phú", "0270 3822 333")
    case = make_case(app, session, org)
    page = client.get("/tra-cuu").get_data(as_text=True)
    assert "track.js" in page  # fills the form from the QR link's fragment
    from .conftest import csrf_from
    resp = client.post("/tra-cuu", data={"tracking_code": case.tracking_code, "secret": case.tracking_secret,
                                         "csrf_token": csrf_from(page)})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Số 12 Nguyễn Huệ, phường An Phú" in html and "0270 3822 333" in html


def test_admin_sets_a_units_address_and_phone(session, login, org):
    b = login("admin")
    resp = b.post("/quan-tri/don-vi/STNMT/lien-he", {"address": "Số 12 Nguyễn Huệ", "phone": "0270 3822 333"},
                  token_from="/quan-tri/don-vi")
    assert resp.status_code == 302
    session.refresh(org["dept"])
    assert (org["dept"].address, org["dept"].phone) == ("Số 12 Nguyễn Huệ", "0270 3822 333")
    bad = b.post("/quan-tri/don-vi/STNMT/lien-he", {"address": "x" * 501, "phone": ""}, token_from="/quan-tri/don-vi")
    assert bad.status_code == 400 and "Địa chỉ đơn vị dài quá 500 ký tự" in bad.get_data(as_text=True)
    bad = b.post("/quan-tri/don-vi/STNMT/lien-he", {"address": "", "phone": "gọi tôi"}, token_from="/quan-tri/don-vi")
    assert bad.status_code == 400 and "Số điện thoại đơn vị" in bad.get_data(as_text=True)
    session.refresh(org["dept"])
    assert org["dept"].address == "Số 12 Nguyễn Huệ"  # a refused change writes nothing
    assert login("head").post("/quan-tri/don-vi/STNMT/lien-he", {"address": "y"},
                              token_from="/trang-chu").status_code == 403


def test_the_secret_is_shown_once_and_only_its_hash_is_stored(app, session, login, org):
    from .test_reception import intake_form

    b = login("reception")
    resp = b.post("/tiep-nhan/moi", intake_form(org), token_from="/tiep-nhan/moi")
    first = b.get(resp.location)
    secret = SECRET_ON_PAGE.search(first.get_data(as_text=True)).group(1)
    assert first.headers["Cache-Control"] == "no-store"
    case = session.scalar(select(Case).where(Case.subject == "Khiếu nại bồi thường đất"))
    assert secret not in case.tracking_secret_hash and tracking.secret_matches(case.tracking_secret_hash, secret)
    assert public_view.find_case(session, case.tracking_code, secret).id == case.id
    again = _receipt(b, case)  # a later look: the receipt without its secret, and the way to issue a new one
    assert secret not in again and "Mã bí mật</dt>" not in again and "Cấp lại mã bí mật" in again
    assert str(qr_svg(f"http://localhost/tra-cuu#ma={case.tracking_code}")) in again  # the QR holds only the code
    assert secret not in _receipt(login("head"), case)


def test_a_reprint_issues_a_new_secret_records_it_and_the_old_one_stops_working(app, session, login, org):
    case = make_case(app, session, org)
    old = case.tracking_secret
    b = login("reception")
    resp = b.post(f"/tiep-nhan/{case.id}/phieu-hen/cap-lai", {"reason": "Công dân làm mất phiếu hẹn"},
                  token_from=f"/tiep-nhan/{case.id}/phieu-hen")
    html = _receipt(b, case)
    new = SECRET_ON_PAGE.search(html).group(1)
    assert resp.status_code == 302 and "mã cũ không còn dùng được" in html
    session.expire_all()
    assert public_view.find_case(session, case.tracking_code, old) is None
    assert public_view.find_case(session, case.tracking_code, new).id == case.id
    event = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                            .order_by(CaseEvent.id.desc())).first()
    assert event.action == "reissue_secret" and event.payload == {"reason": "Công dân làm mất phiếu hẹn"}
    assert event.actor_id == org["users"]["reception"].id and new not in str(event.payload)
    assert new not in _receipt(b, case)  # shown once: reloading the page does not show it again
    assert "Cấp lại mã bí mật" in b.get(f"/ho-so/{case.id}").get_data(as_text=True)  # the history names it


def test_only_those_who_receive_or_handle_the_case_reprint_it(app, session, login, org):
    case = make_case(app, session, org)
    supervisor = login("supervisor")
    assert "Cấp lại mã bí mật</button>" not in _receipt(supervisor, case)
    assert supervisor.post(f"/tiep-nhan/{case.id}/phieu-hen/cap-lai", {}).status_code == 403
    assert login("other_head").post(f"/tiep-nhan/{case.id}/phieu-hen/cap-lai", {}).status_code == 404
    session.expire_all()
    assert public_view.find_case(session, case.tracking_code, case.tracking_secret) is not None
    assert session.scalars(select(CaseEvent).where(CaseEvent.action == "reissue_secret")).all() == []


def test_the_receipt_downloads_as_the_official_form(app, session, login, org):
    import io

    from docx import Document as Docx

    accounts.set_unit_contact(session, "STNMT", "Số 12 Nguyễn Huệ, phường An Phú", "0270 3822 333")
    case = make_case(app, session, org)
    page = login("reception").get(f"/tiep-nhan/{case.id}/phieu-hen").get_data(as_text=True)
    assert f"/van-ban/{case.id}/giay-bien-nhan.docx" in page
    resp = login("reception").get(f"/van-ban/{case.id}/giay-bien-nhan.docx")
    assert resp.status_code == 200 and resp.mimetype.endswith("wordprocessingml.document")
    doc = Docx(io.BytesIO(resp.data))
    text = "\n".join([p.text for p in doc.paragraphs] + [p.text for t in doc.tables for row in t.rows
                                                         for cell in row.cells for p in cell.paragraphs])
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and case.tracking_code in text
    assert "Nguyễn Văn An" in text and "25/11/2026" in text and "Khiếu nại thu hồi đất" in text
    assert login("other_handler").get(f"/van-ban/{case.id}/giay-bien-nhan.docx").status_code == 404


def test_a_companys_slip_does_not_call_it_mister_or_madam(app, session, login, org):
    """A company that complains, received through its representative: the appointment slip names both under a
    heading that fits a body, not "Ông/bà"; a person's slip keeps "Ông/bà"."""
    case = make_case(app, session, org, parties=[
        PartyInput(role="complainant", name="Công ty TNHH Ánh Dương", kind="organisation"),
        PartyInput(role="representative", name="Lê Văn Đại", identity_number="001086000124")])
    html = _tags(_reprint(login("reception"), case)[0])
    assert "<dt>Cơ quan, tổ chức, cá nhân</dt><dd>Công ty TNHH Ánh Dương; Lê Văn Đại</dd>" in html
    assert "<dt>Ông/bà</dt>" not in html
    person = _tags(_reprint(login("reception"), make_case(app, session, org))[0])
    assert "<dt>Ông/bà</dt><dd>Nguyễn Văn An</dd>" in person


def _tags(html: str) -> str:
    return re.sub(r">\s+<", "><", html)
