"""Tokens from the user's page (shown once, revocable) and from the command line."""
from __future__ import annotations

import re

from sqlalchemy import select

from dvflow.models import ApiToken
from dvflow.services.org import tokens

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TOKEN_RE = re.compile(r'<code id="new-token">([^<]+)</code>')


def _login(client, username: str) -> None:
    token = CSRF_RE.search(client.get("/dang-nhap").get_data(as_text=True)).group(1)
    client.post("/dang-nhap", data={"username": username, "password": "password-123", "csrf_token": token})


def test_create_use_and_revoke_from_the_page(app, org, session):
    web = app.test_client()
    _login(web, "handler")
    page = web.get("/tai-khoan/ma-api").get_data(as_text=True)
    assert "Mã truy cập API" in page
    resp = web.post("/tai-khoan/ma-api", data={"name": "Phần mềm một cửa", "csrf_token": CSRF_RE.search(page).group(1)})
    raw = TOKEN_RE.search(resp.get_data(as_text=True)).group(1)
    row = session.scalar(select(ApiToken).where(ApiToken.name == "Phần mềm một cửa"))
    assert row.token_hash == tokens.hash_token(raw) and raw not in row.token_hash
    again = web.get("/tai-khoan/ma-api").get_data(as_text=True)
    assert raw not in again and "Phần mềm một cửa" in again
    api = app.test_client()
    assert api.get("/api/v1/cases", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    assert web.post(f"/tai-khoan/ma-api/{row.id}/thu-hoi").status_code == 400  # CSRF required
    resp = web.post(f"/tai-khoan/ma-api/{row.id}/thu-hoi", data={"csrf_token": CSRF_RE.search(again).group(1)})
    assert resp.status_code == 302
    assert api.get("/api/v1/cases", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_cannot_revoke_someone_elses_token(app, org, session):
    web = app.test_client()
    _login(web, "head")
    page = web.get("/tai-khoan/ma-api").get_data(as_text=True)
    other = session.scalar(select(ApiToken).where(ApiToken.user_id == org["users"]["handler"].id))
    web.post(f"/tai-khoan/ma-api/{other.id}/thu-hoi", data={"csrf_token": CSRF_RE.search(page).group(1)})
    session.expire_all()
    assert session.get(ApiToken, other.id).revoked_at is None


def test_cli_creates_a_token(app, org, session):
    result = app.test_cli_runner().invoke(args=["dvflow", "tokens", "create", "head", "--name", "cli"])
    assert result.exit_code == 0, result.output
    raw = result.stdout.strip().splitlines()[-1]
    assert raw.startswith("dvf_")
    assert app.test_client().get("/api/v1/cases", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    listing = app.test_cli_runner().invoke(args=["dvflow", "tokens", "list", "head"])
    assert "cli" in listing.output
