"""API fixtures: a small unit tree with a user per role, each with a personal API token."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from dvflow.services.org import accounts, tokens

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def org(session):
    province = accounts.create_unit(session, "TINH", "UBND tỉnh", level="province")
    dept = accounts.create_unit(session, "STNMT", "Sở NN&MT", parent_code="TINH")
    other = accounts.create_unit(session, "SYT", "Sở Y tế", parent_code="TINH")
    users, raw = {}, {}
    for name, unit, role in [("reception", dept, "reception"), ("handler", dept, "handler"), ("head", dept, "head"),
                             ("supervisor", province, "supervisor"), ("other_head", other, "head"),
                             ("other_handler", other, "handler")]:
        users[name] = accounts.create_user(session, name, "password-123", now=NOW, full_name=f"Cán bộ {name}",
                                           email=f"{name}@example.test")
        accounts.grant_role(session, users[name], unit, role)
        raw[name] = tokens.create_token(session, users[name], "kiểm thử", NOW)[1]
    session.flush()
    return {"province": province, "dept": dept, "other": other, "users": users, "tokens": raw}


class Api:
    """The test client speaking JSON with one user's token."""

    def __init__(self, client, token: str | None):
        self.client, self.token = client, token

    def _headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **kw):
        return self.client.get(f"/api/v1{path}", headers=self._headers(), **kw)

    def post(self, path: str, body=None, **kw):
        return self.client.post(f"/api/v1{path}", json=body, headers=self._headers(), **kw)


@pytest.fixture
def api(client, org):
    def _as(username: str | None) -> Api:
        return Api(client, org["tokens"][username] if username else None)
    return _as


def complaint_body(**overrides) -> dict:
    body = {"kind": "complaint_first", "unit": "STNMT", "channel": "walk_in", "received_at": "2026-11-25T08:00:00",
            "subject": "Khiếu nại quyết định thu hồi đất", "content": "Nội dung đơn",
            "parties": [{"role": "complainant", "name": "Lê Văn Cường", "identity_number": "001086000999"}]}
    return {**body, **overrides}
