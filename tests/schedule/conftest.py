"""Schedule page fixtures: the web tree (province, department, other department, a user per role) and logging in
through the real form, like tests/web."""
from __future__ import annotations

import pytest
from factories import WEB_ORG, make_org
from web.conftest import Browser


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
