"""API fixtures: a small unit tree with a user per role, each with a personal API token."""
from __future__ import annotations

import pytest
from factories import API_ORG, make_org


@pytest.fixture
def org(session):
    return make_org(session, **API_ORG)


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
    # the suites register many alike cases of one complainant: each says it is not a mistaken repeat (the duplicate
    # check has its own tests, which send bodies without this)
    body = {"confirm_duplicate": True, "kind": "complaint_first", "unit": "STNMT", "channel": "walk_in", "received_at": "2026-11-25T08:00:00",
            "subject": "Khiếu nại quyết định thu hồi đất", "content": "Nội dung đơn",
            "parties": [{"role": "complainant", "name": "Lê Văn Cường", "identity_number": "001086000999"}]}
    return {**body, **overrides}
