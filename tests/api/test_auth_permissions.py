"""Tokens only (never the session cookie), and exactly the web pages' permissions."""
from __future__ import annotations

from factories import NOW
from sqlalchemy import select

from dvflow.models import ApiToken
from dvflow.services.org import tokens

from .conftest import complaint_body


def test_no_token_or_bad_token_is_401_json(api):
    for resp in (api(None).get("/cases"), api(None).post("/cases", complaint_body()),
                 api(None).client.get("/api/v1/cases", headers={"Authorization": "Bearer nope"}),
                 api(None).client.get("/api/v1/cases", headers={"Authorization": "Basic abc"})):
        assert resp.status_code == 401 and resp.is_json
        assert resp.json["error"]["code"] == 401 and "WWW-Authenticate" in resp.headers


def test_revoked_token_is_401(api, org, session):
    assert api("handler").get("/cases").status_code == 200
    row = session.scalar(select(ApiToken).where(ApiToken.user_id == org["users"]["handler"].id))
    assert row.last_used_at is not None and row.token_hash == tokens.hash_token(org["tokens"]["handler"])
    tokens.revoke(session, org["users"]["handler"], row.id, NOW)
    session.flush()
    resp = api("handler").get("/cases")
    assert resp.status_code == 401 and "thu hồi" in resp.json["error"]["message"]


def test_session_cookie_is_not_accepted(app, org, client):
    from tests.web.conftest import csrf_from

    page = client.get("/dang-nhap")
    client.post("/dang-nhap", data={"username": "head", "password": "password-123",
                                    "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert client.get("/ho-so").status_code == 200  # logged in on the web
    assert client.get("/api/v1/cases").status_code == 401
    assert client.post("/api/v1/cases", json=complaint_body()).status_code == 401


def test_other_unit_gets_404(api):
    case = api("reception").post("/cases", complaint_body()).json
    for path in ("", "/events", "/clocks"):
        assert api("other_head").get(f"/cases/{case['id']}{path}").status_code == 404
    resp = api("other_head").post(f"/cases/{case['id']}/actions/accept",
                                  {"fields": {"decision_number": "1", "decision_date": "2026-11-25"}})
    assert resp.status_code == 404 and resp.json["error"]["message"]
    assert api("other_head").post(f"/cases/{case['id']}/assign", {}).status_code == 404
    assert api("head").get("/cases/2147483647").status_code == 404
    assert api("head").get("/cases/99999999999999999999").status_code == 404


def test_handler_cannot_do_head_only_and_supervisor_reads_only(api, org):
    case = api("reception").post("/cases", complaint_body()).json
    fields = {"decision_number": "1", "decision_date": "2026-11-25"}
    resp = api("handler").post(f"/cases/{case['id']}/actions/accept", {"fields": fields})
    assert resp.status_code == 403 and resp.json["error"]["code"] == 403
    assert api("supervisor").get(f"/cases/{case['id']}").status_code == 200
    assert api("supervisor").get(f"/cases/{case['id']}").json["actions"] == [] or not any(
        a["allowed"] for a in api("supervisor").get(f"/cases/{case['id']}").json["actions"])
    assert api("supervisor").post(f"/cases/{case['id']}/actions/accept", {"fields": fields}).status_code == 403
    assert api("supervisor").post("/cases", complaint_body()).status_code == 403
    assert api("supervisor").post(f"/cases/{case['id']}/assign",
                                  {"assignee_id": org["users"]["handler"].id}).status_code == 403
    # a handler may take the case for themself, not give it to someone else
    assert api("handler").post(f"/cases/{case['id']}/assign",
                               {"assignee_id": org["users"]["head"].id}).status_code == 403
    assert api("handler").post(f"/cases/{case['id']}/assign", {}).json["assignee_id"] == org["users"]["handler"].id


def test_stale_version_and_wrong_state_are_409(api):
    case = api("reception").post("/cases", complaint_body()).json
    fields = {"decision_date": "2026-11-25"}  # the register numbers it
    resp = api("head").post(f"/cases/{case['id']}/actions/accept", {"fields": fields, "version": case["version"] + 3})
    assert resp.status_code == 409
    assert api("head").post(f"/cases/{case['id']}/actions/accept", {"fields": fields}).status_code == 200
    assert api("head").post(f"/cases/{case['id']}/actions/accept", {"fields": fields}).status_code == 409
