"""Web fixtures: a small unit tree with a user per role, and logging in through the real form (CSRF on)."""
from __future__ import annotations

import re

import pytest
from factories import PASSWORD, WEB_ORG, make_org

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def org(session):
    return make_org(session, **WEB_ORG)


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no csrf_token in the page"
    return match.group(1)


class Browser:
    """A test client that logs in through the login form and posts forms with the page's CSRF token."""

    def __init__(self, client):
        self.client = client

    def login(self, username: str) -> None:
        page = self.client.get("/dang-nhap")
        resp = self.client.post("/dang-nhap", data={"username": username, "password": PASSWORD,
                                                    "csrf_token": csrf_from(page.get_data(as_text=True))})
        assert resp.status_code == 302, resp.get_data(as_text=True)

    def get(self, url: str, **kw):
        return self.client.get(url, **kw)

    def post(self, url: str, data: dict | None = None, *, token_from: str = "/trang-chu", **kw):
        token = csrf_from(self.client.get(token_from).get_data(as_text=True))
        return self.client.post(url, data={**(data or {}), "csrf_token": token}, **kw)


@pytest.fixture
def login(app):
    def _login(username: str) -> Browser:
        browser = Browser(app.test_client())
        browser.login(username)
        return browser
    return _login
