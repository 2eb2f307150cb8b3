"""The reception side of a confidential case's hidden parties (review "secret", F2, F3, F6, F8): a mass
denunciation's representatives are neither shown nor replaced without need-to-know, and each look is recorded; the
desk's duplicate suggestions never match them; a booking received into a confidential visit is redacted like the
visit; a confidential visit's summary is shown only to those who may see the content of the case it opened."""
from __future__ import annotations

from datetime import time

from factories import make_org
from reception.helpers import make_booking, make_session
from sqlalchemy import func, select
from web.helpers import make_case

from dvflow.models import Case, IdentityAccess, ReceptionVisit
from dvflow.services.cases.intake import PartyInput

from .conftest import flashes

REP, REP_NUMBER, REP_PHONE = "Trần Đại Diện", "001099888777", "0911222333"
CITIZEN, CITIZEN_PHONE = "Phạm Văn Dũng", "0912345678"
SUMMARY = "Tố cáo ông Trưởng phòng nhận tiền\nChi tiết: ông A nhận 50 triệu tại nhà riêng tối 20/11"
SECRET_PART = "50 triệu"
WITHHELD = "Nội dung được bảo mật"
REASON = "Kiểm tra văn bản cử người đại diện trước khi thụ lý"


def mass_case(app, session, org, kind="denunciation"):
    """A mass case of the department: five people who signed and their representative."""
    role = "denouncer" if kind == "denunciation" else "complainant"
    parties = [PartyInput(role=role, name=f"Người Ký {i}", identity_number=f"00109900000{i}") for i in range(5)]
    parties.append(PartyInput(role="representative", name=REP, identity_number=REP_NUMBER, phone=REP_PHONE,
                              identity_type="cccd"))
    return make_case(app, session, org, kind=kind, subject="Đơn tập thể của cán bộ xã", parties=parties)


def leaked(html: str) -> list[str]:
    return [x for x in (REP, REP_NUMBER, REP_PHONE) if x in html]


def looks(session) -> int:
    return session.scalar(select(func.count()).select_from(IdentityAccess))


def reps(session, case) -> list[str]:
    session.expire_all()
    return sorted(cp.party.name for cp in session.get(Case, case.id).parties if cp.role == "representative")


UPDATE = {"people_count": "6", "rep-0-name": "Lê Văn Thay", "rep-0-identity_type": "cccd",
          "rep-0-identity": "001099000999"}


# --- F2: the representatives page and PUT /api/v1/cases/{id}/representatives -------------------------------------

def test_a_user_who_may_not_reveal_neither_sees_nor_replaces_hidden_representatives(app, session, org, login):
    case = mass_case(app, session, org)
    assert case.confidential and case.mass
    url = f"/tiep-nhan/{case.id}/nguoi-dai-dien"
    for who in ("reception", "handler"):
        b = login(who)
        page = b.get(url)
        html = page.get_data(as_text=True)
        assert page.status_code == 403 and leaked(html) == [], who
        assert "được giữ bí mật" in html and "thủ trưởng" in html  # the reason, not a bare "403"
        sent = b.post(url, UPDATE, token_from=f"/ho-so/{case.id}")
        assert sent.status_code == 403 and leaked(sent.get_data(as_text=True)) == [], who
        shown = b.post(f"{url}/xem", {"reason": REASON}, token_from=f"/ho-so/{case.id}")
        assert shown.status_code == 403 and leaked(shown.get_data(as_text=True)) == [], who
    assert reps(session, case) == [REP] and looks(session) == 0


def test_the_api_refuses_to_replace_hidden_representatives_with_the_reason(app, session):
    org = make_org(session, units=("province", "dept", "other"), users=("reception", "handler", "head"),
                   tokens=True)
    case = mass_case(app, session, org)
    body = {"people_count": 6, "representatives": [{"name": "Lê Văn Thay", "identity_type": "cccd",
                                                    "identity_number": "001099000999"}]}
    client = app.test_client()
    for who in ("reception", "handler"):
        resp = client.put(f"/api/v1/cases/{case.id}/representatives", json=body,
                          headers={"Authorization": f"Bearer {org['tokens'][who]}"})
        assert resp.status_code == 403, who
        assert "được giữ bí mật" in resp.json["error"]["message"] and leaked(resp.get_data(as_text=True)) == []
    assert reps(session, case) == [REP]
    ok = client.put(f"/api/v1/cases/{case.id}/representatives", json=body,
                    headers={"Authorization": f"Bearer {org['tokens']['head']}"})
    assert ok.status_code == 200, ok.json
    assert reps(session, case) == ["Lê Văn Thay"]


def test_a_head_sees_the_representatives_only_through_a_recorded_reveal_then_updates_them(app, session, org, login):
    case = mass_case(app, session, org)
    url = f"/tiep-nhan/{case.id}/nguoi-dai-dien"
    head = login("head")
    first = head.get(url)
    html = first.get_data(as_text=True)
    assert first.status_code == 200 and leaked(html) == [] and 'id="representatives-reveal"' in html
    assert 'id="representatives-form"' not in html  # no form to save over representatives not seen
    short = head.post(f"{url}/xem", {"reason": "xem"}, token_from=url)
    assert short.status_code == 400 and leaked(short.get_data(as_text=True)) == [] and looks(session) == 0
    assert flashes(short.get_data(as_text=True))
    shown = head.post(f"{url}/xem", {"reason": REASON}, token_from=url)
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and f'value="{REP}"' in html and f'value="{REP_NUMBER}"' in html
    rows = session.scalars(select(IdentityAccess)).all()
    rep_id = next(cp.party_id for cp in case.parties if cp.role == "representative")
    assert [(r.party_id, r.reason, r.user_id) for r in rows] == [(rep_id, REASON, org["users"]["head"].id)]
    head.post(f"{url}/xem", {"reason": REASON}, token_from=url)
    assert looks(session) == 2  # one row per look
    saved = head.post(url, UPDATE, token_from=url)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    assert reps(session, case) == ["Lê Văn Thay"]


def test_an_ordinary_mass_complaint_still_prefills_its_representatives_for_reception(app, session, org, login):
    case = mass_case(app, session, org, kind="complaint_first")
    assert not case.confidential
    page = login("reception").get(f"/tiep-nhan/{case.id}/nguoi-dai-dien")
    assert page.status_code == 200 and f'value="{REP}"' in page.get_data(as_text=True)
    assert looks(session) == 0


# --- F3: the desk's duplicate suggestions ----------------------------------------------------------------------

def test_the_duplicate_suggestions_never_match_a_hidden_representative(app, session, org, login):
    secret = mass_case(app, session, org)
    b = login("reception")
    found = b.post("/tiep-nhan/trung-lap", {"identity": REP_NUMBER}, token_from="/tiep-nhan/moi")
    assert found.status_code == 200 and secret.tracking_code not in found.get_data(as_text=True)
    plain = mass_case(app, session, org, kind="complaint_first")  # the same person in an ordinary case: matched
    found = b.post("/tiep-nhan/trung-lap", {"identity": REP_NUMBER}, token_from="/tiep-nhan/moi")
    codes = [row["tracking_code"] for row in found.get_json()]
    assert codes == [plain.tracking_code]


# --- F6 and F8: the session desk, the schedule and the reception book -------------------------------------------

def receive(b, rs, booking, **kw):
    """Record at the desk the visit of the citizen who booked `booking`, as reception does."""
    desk = f"/tiep-nhan/phien/{rs.id}"
    form = {"citizen_name": CITIZEN, "phone": CITIZEN_PHONE, "identity_number": "079000111222", "summary": SUMMARY,
            "content_type": "denunciation", "people_count": "1", "outcome": "case_opened",
            "case_kind": "denunciation", "booking_id": str(booking.id), **kw}
    resp = b.post(f"{desk}/luot", form, token_from=desk)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]


def test_a_booking_received_into_a_confidential_visit_is_redacted_like_the_visit(session, org, login):
    rs = make_session(session, org["dept"])
    secret = make_booking(session, rs, name=CITIZEN)
    plain = make_booking(session, rs, name="Lê Thị Hẹn", code="DK-0002", slot=time(9, 0))
    plain.phone, plain.content = "0987000111", "Hỏi về cấp sổ đỏ"
    receive(login("reception"), rs, secret)
    assert session.scalar(select(ReceptionVisit)).confidential
    for who in ("reception", "head"):
        b = login(who)
        for url in (f"/tiep-nhan/phien/{rs.id}", f"/tiep-nhan/lich/{rs.id}"):
            html = b.get(url).get_data(as_text=True)
            bookings = html[html.index('id="bookings"'):].split("</table>")[0]
            assert CITIZEN not in bookings and "0912345678" not in bookings, (who, url)
            assert secret.content not in bookings and "Được giữ bí mật" in bookings, (who, url)
            assert plain.name in bookings and plain.phone in bookings, (who, url)  # an ordinary booking is still the desk's working list
    session.refresh(secret)
    assert secret.name == CITIZEN and secret.status == "received"  # redacted on the page, never in the row


def test_a_confidential_visit_summary_only_for_those_who_may_see_the_case_content(session, org, login):
    rs = make_session(session, org["dept"])
    note = "Ông Dũng xin giữ bí mật, sợ bị trù dập"  # free text about the same citizen: withheld with the summary
    receive(login("reception"), rs, make_booking(session, rs, name=CITIZEN), result_note=note, notes=note)
    plain = make_booking(session, rs, name="Lê Thị Hẹn", code="DK-0002", slot=time(9, 0))
    receive(login("reception"), rs, plain, citizen_name=plain.name, summary="Kiến nghị sửa đường liên xã",
            content_type="petition", outcome="answered", case_kind="", result_note="Đã trả lời tại buổi tiếp")
    book = f"/tiep-nhan/so?thang=2026-11&don_vi={org['dept'].id}"
    desk = f"/tiep-nhan/phien/{rs.id}"
    for who, url in (("handler", book), ("supervisor", book), ("reception", book), ("reception", desk)):
        html = login(who).get(url).get_data(as_text=True)
        assert SECRET_PART not in html and note not in html and WITHHELD in html, (who, url)
        assert "Kiến nghị sửa đường liên xã" in html, (who, url)  # an ordinary summary stays in the book
    for url in (book, desk):  # the head of the unit may see the case's content, so reads the summary
        assert SECRET_PART in login("head").get(url).get_data(as_text=True), url
