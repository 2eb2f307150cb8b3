"""Issue #14's findings replayed through the pages and the API, each refused: cross-unit access (IDOR), taking a
colleague's case to reveal the denouncer, stored XSS, a deeply nested JSON body, a related case of another unit."""
from __future__ import annotations

import pytest
from factories import NOW
from sqlalchemy import func, select

from dvflow.models import IdentityAccess
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.org import tokens

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _case(app, session, org, *, subject="Tố cáo cán bộ địa chính", kind="denunciation"):
    parties = [PartyInput(role="denouncer", name="Phan Văn Kín", identity_number="001086000555"),
               PartyInput(role="accused", name="Ông Bị Tố")] if kind == "denunciation" else [
        PartyInput(role="complainant", name="Nguyễn Văn An")]
    data = IntakeInput(kind=kind, unit_id=org["dept"].id, channel="walk_in", received_at=NOW, subject=subject,
                       parties=parties)
    case = register_case(session, app.extensions["dvflow.workflows"], org["users"]["reception"], data, NOW)
    session.flush()
    return case


def _token(session, org, username: str) -> dict:
    raw = tokens.create_token(session, org["users"][username], "kiểm thử", NOW)[1]
    return {"Authorization": f"Bearer {raw}"}


def test_another_units_officer_reaches_nothing_of_the_case(app, session, org, login):
    case = _case(app, session, org)
    b = login("other_handler")
    for url in (f"/ho-so/{case.id}", f"/tiep-nhan/{case.id}/phieu-hen"):
        assert b.get(url).status_code == 404, url
    headers = _token(session, org, "other_handler")
    for url in (f"/api/v1/cases/{case.id}", f"/api/v1/cases/{case.id}/events", f"/api/v1/cases/{case.id}/receipt"):
        resp = app.test_client().get(url, headers=headers)
        assert resp.status_code == 404 and "Phan Văn Kín" not in resp.get_data(as_text=True), url
    resp = app.test_client().post(f"/api/v1/cases/{case.id}/assign", json={}, headers=headers)
    assert resp.status_code == 404


def test_a_handler_cannot_take_a_colleagues_case_to_reveal_the_denouncer(app, session, org, login):
    case = _case(app, session, org)
    from dvflow.services.cases import assign

    assign(session, org["users"]["head"], case.id, org["users"]["head"].id, NOW)  # the head keeps it
    b = login("handler")
    assert b.post(f"/ho-so/{case.id}/giao-viec", {"assignee_id": org["users"]["handler"].id},
                  token_from=f"/ho-so/{case.id}").status_code == 302
    session.expire_all()
    assert case.assignee_id == org["users"]["head"].id  # refused: the page says why
    party = case.parties[0].party_id
    resp = b.post(f"/ho-so/{case.id}/danh-tinh/{party}", {"reason": "Cần liên hệ người tố cáo để xác minh thêm"},
                  token_from=f"/ho-so/{case.id}")
    assert resp.status_code == 403 and "001086000555" not in resp.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(IdentityAccess)) == 0


@pytest.mark.parametrize("where", ["case", "list", "receipt"])
def test_stored_script_is_shown_as_text(app, session, org, login, where):
    case = _case(app, session, org, subject="Khiếu nại " + XSS, kind="complaint_first")
    url = {"case": f"/ho-so/{case.id}", "list": "/ho-so", "receipt": f"/tiep-nhan/{case.id}/phieu-hen"}[where]
    html = login("head").get(url).get_data(as_text=True)
    assert XSS not in html and "&lt;script&gt;alert(" in html


def test_the_api_answers_json_never_html(app, session, org):
    case = _case(app, session, org, subject="Khiếu nại " + XSS, kind="complaint_first")
    resp = app.test_client().get(f"/api/v1/cases/{case.id}", headers=_token(session, org, "head"))
    assert resp.mimetype == "application/json" and resp.get_json()["subject"] == "Khiếu nại " + XSS
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_a_deeply_nested_body_is_a_400_on_the_public_lookup(app):
    resp = app.test_client().post("/api/v1/public/track", data="[" * 50_000 + "]" * 50_000,
                                  content_type="application/json")
    assert resp.status_code == 400 and resp.get_json()["error"]["fields"][0]["field"] == "body"
