"""The receipt a citizen keeps: appointment slip or receipt notice, who received it, where, and a QR code that
opens the tracking page; the unit's address and phone, set by an administrator."""
from __future__ import annotations

from dvflow.services.cases.intake import PartyInput
from dvflow.services.org import accounts
from dvflow.web.qr import qr_svg

from .helpers import make_case

BASE = "https://dvflow.anphu.gov.vn"


def _receipt(b, case) -> str:
    resp = b.get(f"/tiep-nhan/{case.id}/phieu-hen")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_walk_in_slip_has_the_heading_the_people_the_address_and_a_qr_code(app, session, login, org):
    app.config["PUBLIC_BASE_URL"] = BASE + "/"
    accounts.set_unit_contact(session, "STNMT", "Số 12 Nguyễn Huệ, phường An Phú", "0270 3822 333")
    case = make_case(app, session, org)
    html = _receipt(login("reception"), case)
    assert "PHIẾU HẸN" in html and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html and "Độc lập - Tự do - Hạnh phúc" in html
    assert "ngày 25 tháng 11 năm 2026" in html and f"Số: {case.tracking_code}" in html
    assert "Nguyễn Văn An" in html and "Cán bộ reception" in html  # the citizen and the receiving officer
    assert "Số 12 Nguyễn Huệ, phường An Phú" in html and "0270 3822 333" in html
    assert f"{BASE}/tra-cuu" in html  # the full address, from the configured base and not the request's
    link = f"{BASE}/tra-cuu#ma={case.tracking_code}&bm={case.tracking_secret}"
    assert str(qr_svg(link)) in html  # the QR code holds the tracking page with the code and the secret


def test_the_tracking_address_follows_the_request_when_no_base_is_configured(app, session, login, org):
    case = make_case(app, session, org)
    html = _receipt(login("reception"), case)
    assert "http://localhost/tra-cuu" in html
    assert str(qr_svg(f"http://localhost/tra-cuu#ma={case.tracking_code}&bm={case.tracking_secret}")) in html


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
