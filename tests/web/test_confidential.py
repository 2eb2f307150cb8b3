"""A denouncer's identity is hidden; the assignee or a head may reveal it, and every reveal is recorded."""
from __future__ import annotations

from sqlalchemy import select

from dvflow.models import IdentityAccess
from dvflow.services.cases.intake import PartyInput

from .helpers import make_case


def denunciation(app, session, org):
    return make_case(app, session, org, kind="denunciation", subject="Tố cáo cán bộ địa chính", parties=[
        PartyInput(role="denouncer", name="Phạm Văn Dũng", identity_number="079000111222"),
        PartyInput(role="accused", name="Ông Bị Tố Cáo")])


def test_denouncer_hidden_and_reveal_recorded(app, session, login, org):
    case = denunciation(app, session, org)
    assert case.confidential
    handler = login("handler")
    html = handler.get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert "Phạm Văn Dũng" not in html and "079000111222" not in html and "Đã được bảo mật" in html
    assert "Ông Bị Tố Cáo" in html
    assert "Xem danh tính" not in html  # neither assignee nor head
    party_id = next(cp.party_id for cp in case.parties if cp.role == "denouncer")
    resp = handler.post(f"/ho-so/{case.id}/danh-tinh/{party_id}", {"reason": "tò mò"})
    assert resp.status_code == 403
    assert session.scalars(select(IdentityAccess)).all() == []
    # the reception log hides it too
    assert "Phạm Văn Dũng" not in login("reception").get("/tiep-nhan/so?thang=2026-11").get_data(as_text=True)

    head = login("head")
    html = head.get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert "Phạm Văn Dũng" not in html and "Xem danh tính" in html
    resp = head.post(f"/ho-so/{case.id}/danh-tinh/{party_id}", {"reason": "Xác minh nội dung tố cáo"},
                     token_from=f"/ho-so/{case.id}")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "Phạm Văn Dũng" in html and "079000111222" in html
    rows = session.scalars(select(IdentityAccess)).all()
    assert len(rows) == 1 and rows[0].user_id == org["users"]["head"].id and rows[0].party_id == party_id
    assert rows[0].reason == "Xác minh nội dung tố cáo"
    # hidden again on the next visit
    assert "Phạm Văn Dũng" not in head.get(f"/ho-so/{case.id}").get_data(as_text=True)
    # a supervisor reads the case but sees no identity
    html = login("supervisor").get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert "Phạm Văn Dũng" not in html and "Xem danh tính" not in html


def test_reveal_needs_a_reason(app, session, login, org):
    case = denunciation(app, session, org)
    party_id = next(cp.party_id for cp in case.parties if cp.role == "denouncer")
    resp = login("head").post(f"/ho-so/{case.id}/danh-tinh/{party_id}", {"reason": "  "})
    assert resp.status_code == 302
    assert session.scalars(select(IdentityAccess)).all() == []


def test_search_never_matches_a_protected_denouncer(app, session, login, org):
    case = denunciation(app, session, org)
    denouncer = next(cp.party.name for cp in case.parties if cp.role == "denouncer")
    accused = next(cp.party.name for cp in case.parties if cp.role == "accused")
    browser = login("head")
    by_denouncer = browser.post("/ho-so", {"q": denouncer}, token_from="/ho-so").get_data(as_text=True)
    assert case.tracking_code not in by_denouncer
    by_accused = browser.post("/ho-so", {"q": accused}, token_from="/ho-so").get_data(as_text=True)
    assert case.tracking_code in by_accused


def test_duplicate_suggestions_never_match_a_protected_denouncer(app, session, login, org):
    case = denunciation(app, session, org)
    browser = login("reception")
    found = browser.post("/tiep-nhan/trung-lap", {"identity": "079000111222"}, token_from="/tiep-nhan/moi").get_json()
    assert case.tracking_code not in str(found)
