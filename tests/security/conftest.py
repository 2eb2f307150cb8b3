"""Security fixtures: the web pages' unit tree (a user per role) and logging in through the real form, as in
tests/web; plus reading the flashed message, a client that replays a saved session cookie, and whether Redis is up."""
from __future__ import annotations

import re
import socket

import pytest
from factories import PASSWORD, WEB_ORG, make_org
from web.conftest import Browser, csrf_from

HOME = "/trang-chu"
LOGIN = "/dang-nhap"


@pytest.fixture
def org(session):
    return make_org(session, **WEB_ORG)


@pytest.fixture
def login(app):
    def _login(username: str) -> Browser:
        browser = Browser(app.test_client())
        browser.login(username)
        return browser
    return _login


def post_login(client, username: str, password: str = PASSWORD, next_: str | None = None):
    """One login attempt through the form (its own CSRF token); the answer, not followed."""
    page = client.get(LOGIN).get_data(as_text=True)
    url = LOGIN if next_ is None else f"{LOGIN}?next={next_}"  # next_ as sent: already percent-encoded
    return client.post(url, data={"username": username, "password": password, "csrf_token": csrf_from(page)})


def flashes(html: str) -> list[str]:
    return [m.strip() for m in re.findall(r'<div class="flash [a-z]+" role="(?:status|alert)">(.*?)</div>', html, re.S)]


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith(LOGIN)


__all__ = ["Browser", "HOME", "LOGIN", "csrf_from", "flashes", "is_login_redirect", "post_login"]


def redis_up() -> bool:
    """Whether a Redis answers at 127.0.0.1:6379 (the per-address limits shared by several nodes)."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False
