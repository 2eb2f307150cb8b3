"""The case page's "Sửa thông tin tiếp nhận" and "Hủy hồ sơ" forms (issue #13, item 3), CSRF on."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from dvflow.models import Case, CaseEvent, Clock
from dvflow.services.cases.intake import PartyInput

from .helpers import make_case
from .test_flow import VERSION_RE

REASON = "Cán bộ nhập sai khi tiếp nhận"
RECEIVED = datetime(2026, 11, 16, 1, 0, tzinfo=timezone.utc)  # 16/11/2026 08:00 in Hanoi


def form_of(browser, case_id: int) -> dict:
    """The correction form as the page fills it (the unchanged values)."""
    page = browser.get(f"/ho-so/{case_id}").get_data(as_text=True)
    assert "Sửa thông tin tiếp nhận" in page and f"/ho-so/{case_id}/sua" in page
    return {"version": VERSION_RE.search(page).group(1), "received_date": "2026-11-16", "received_time": "08:00",
            "subject": "Khiếu nại thu hồi đất", "content": "", "channel": "walk_in"}


def post(browser, case_id: int, path: str, data: dict):
    return browser.post(f"/ho-so/{case_id}/{path}", data, token_from=f"/ho-so/{case_id}")


def test_an_officer_corrects_the_subject_and_a_party_and_the_history_shows_old_and_new(app, session, login, org):
    case = make_case(app, session, org, received=RECEIVED)
    reception = login("reception")
    pid = case.parties[0].party_id
    data = {**form_of(reception, case.id), "subject": "Khiếu nại quyết định bồi thường", "reason": REASON,
            f"p{pid}-role": "complainant", f"p{pid}-name": "Nguyễn Văn Ân", f"p{pid}-identity_number": "001086000123",
            f"p{pid}-address": "Hà Nội", f"p{pid}-phone": "", f"p{pid}-email": "",
            "new-role": "respondent", "new-name": "Chủ tịch UBND huyện"}
    resp = post(reception, case.id, "sua", data)
    assert resp.status_code == 302, resp.get_data(as_text=True)[-2000:]
    page = reception.get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert "Đã sửa thông tin tiếp nhận." in page
    assert "Khiếu nại thu hồi đất → Khiếu nại quyết định bồi thường" in page
    # an identity field: that it changed, never its values (the history keeps none); an added party: its role
    assert "Nguyễn Văn An →" not in page and "Đã sửa" in page and "— → Người bị khiếu nại" in page
    assert REASON in page
    fields = session.scalars(select(CaseEvent.payload).where(CaseEvent.case_id == case.id,
                                                             CaseEvent.action == "correct")).all()
    assert {p["field"] for p in fields} == {"subject", "name", "party_added"}


def test_a_changed_received_date_says_the_clocks_were_recomputed(app, session, login, org):
    case = make_case(app, session, org, received=RECEIVED)
    old_due = session.scalars(select(Clock.due_date).where(Clock.case_id == case.id)).one()
    reception = login("reception")
    resp = post(reception, case.id, "sua", {**form_of(reception, case.id), "received_date": "2026-11-13",
                                            "received_time": "15:00", "reason": REASON})
    assert resp.status_code == 302
    page = reception.get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert "Đã tính lại thời hạn: Thời hạn thụ lý: " + old_due.strftime("%d/%m/%Y") in page
    session.expire_all()
    assert session.get(Case, case.id).received_at == datetime(2026, 11, 13, 8, 0, tzinfo=timezone.utc)


def test_a_refused_correction_names_the_field_keeps_what_was_typed_and_writes_nothing(app, session, login, org):
    case = make_case(app, session, org, received=RECEIVED)
    reception = login("reception")
    resp = post(reception, case.id, "sua", {**form_of(reception, case.id), "subject": "x" * 600, "reason": REASON})
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert "Trích yếu quá dài" in page and 'aria-invalid=true class=invalid' in page and "x" * 600 in page
    resp = post(reception, case.id, "sua", {**form_of(reception, case.id), "subject": "Mới", "reason": "ngắn"})
    assert resp.status_code == 400 and "Lý do sửa" in resp.get_data(as_text=True)
    assert session.scalar(select(CaseEvent.id).where(CaseEvent.case_id == case.id,
                                                     CaseEvent.action == "correct")) is None


def test_the_form_needs_csrf_and_a_supervisor_has_no_form(app, session, login, org):
    case = make_case(app, session, org, received=RECEIVED)
    reception = login("reception")
    resp = reception.client.post(f"/ho-so/{case.id}/sua", data={"subject": "Khác", "reason": REASON})
    assert resp.status_code == 400
    assert session.get(Case, case.id).subject == "Khiếu nại thu hồi đất"
    page = login("supervisor").get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert f"/ho-so/{case.id}/sua" not in page and f"/ho-so/{case.id}/huy" not in page


def test_a_confidential_party_is_not_in_the_form_until_revealed(app, session, login, org):
    case = make_case(app, session, org, kind="denunciation",
                     parties=[PartyInput(role="denouncer", name="Trần Thị Bí Mật", identity_number="001186000777")])
    head = login("head")
    page = head.get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert "Trần Thị Bí Mật" not in page and "Hiện danh tính (ở mục Đương sự) để sửa." in page
    assert 'name="revealed"' not in page


def test_a_head_voids_a_case_from_its_page(app, session, login, org):
    original = make_case(app, session, org, subject="Đơn gốc", received=RECEIVED)
    case = make_case(app, session, org, received=RECEIVED)
    head, reception = login("head"), login("reception")
    page = reception.get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert f"/ho-so/{case.id}/huy" not in page
    version = VERSION_RE.search(head.get(f"/ho-so/{case.id}").get_data(as_text=True)).group(1)
    resp = post(head, case.id, "huy", {"reason": "ngắn", "version": version})
    assert resp.status_code == 400 and "Lý do hủy hồ sơ" in resp.get_data(as_text=True)
    resp = post(head, case.id, "huy", {"reason": REASON, "duplicate_of": original.tracking_code, "version": version})
    assert resp.status_code == 302
    page = head.get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert "Hồ sơ đã bị hủy" in page and REASON in page and "Trùng với hồ sơ" in page
    assert "/thao-tac/" not in page and f"/ho-so/{case.id}/sua" not in page
    listing = head.get("/ho-so").get_data(as_text=True)
    assert case.tracking_code not in listing and original.tracking_code in listing
    assert case.tracking_code in head.get("/ho-so?da_huy=1").get_data(as_text=True)
    assert case.tracking_code not in reception.get("/ho-so?da_huy=1").get_data(as_text=True)


def test_the_public_tracking_page_shows_a_voided_case_as_void(app, session, login, org, client):
    case = make_case(app, session, org, received=RECEIVED)
    head = login("head")
    version = VERSION_RE.search(head.get(f"/ho-so/{case.id}").get_data(as_text=True)).group(1)
    assert post(head, case.id, "huy", {"reason": REASON, "version": version}).status_code == 302
    from .conftest import csrf_from
    page = client.get("/tra-cuu").get_data(as_text=True)
    resp = client.post("/tra-cuu", data={"tracking_code": case.tracking_code, "secret": case.tracking_secret,
                                         "csrf_token": csrf_from(page)})
    text = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Hồ sơ đã bị hủy" in text
    assert "Sở NN&amp;MT" not in text and "Thời hạn bước hiện tại" not in text


def test_a_revealed_confidential_party_is_corrected_and_its_change_stays_hidden(app, session, login, org):
    case = make_case(app, session, org, kind="denunciation",
                     parties=[PartyInput(role="denouncer", name="Trần Thị Bí Mật", identity_number="001186000777")])
    pid = case.parties[0].party_id
    head = login("head")
    page = post(head, case.id, f"danh-tinh/{pid}", {"reason": "Cần sửa họ tên người tố cáo"}).get_data(as_text=True)
    assert f'name="revealed" value="{pid}"' in page and f'name="p{pid}-name"' in page
    resp = post(head, case.id, "sua", {
        "version": VERSION_RE.search(page).group(1), "subject": "Khiếu nại thu hồi đất", "reason": REASON,
        "revealed": str(pid), f"p{pid}-role": "denouncer", f"p{pid}-name": "Trần Thị Bí Mật Mới",
        f"p{pid}-identity_number": "001186000777"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[-2000:]
    page = head.get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert "Bí Mật" not in page and "Họ tên:</span> Đã được bảo mật" in page


def test_a_correction_written_before_identity_values_left_the_history_still_shows_them(app, session, login, org):
    """Rows written before a correction stopped recording identity values hold them: shown as they were."""
    from dvflow.services.cases import history

    case = make_case(app, session, org, received=RECEIVED)
    pid = case.parties[0].party_id
    old_rows = [{"field": "name", "label": "Họ tên", "old": "Nguyễn Văn An", "new": "Nguyễn Văn Ân", "party_id": pid,
                 "party_roles": ["complainant"], "reason": REASON},
                {"field": "party_added", "label": "Thêm đương sự", "old": None, "party_roles": ["respondent"],
                 "new": {"role": "respondent", "name": "Chủ tịch UBND huyện", "kind": "organisation"},
                 "reason": REASON}]
    history.write(session, [history.event(case.id, "correct", at=RECEIVED, actor_id=org["users"]["reception"].id,
                                          from_state=case.state, to_state=case.state, payload=p) for p in old_rows])
    page = login("reception").get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert "Nguyễn Văn An → Nguyễn Văn Ân" in page and "Chủ tịch UBND huyện (Người bị khiếu nại)" in page

