"""The page language chosen before login survives the login (F6); nothing else of the anonymous session does."""
from __future__ import annotations

import re

from .conftest import Browser


def _lang(html: str) -> str:
    return re.search(r'<html lang="(\w+)"', html).group(1)


def test_english_chosen_before_login_stays_after_it(app, org):
    browser = Browser(app.test_client())
    browser.get("/ngon-ngu/en")
    browser.login("handler")
    html = browser.get("/trang-chu").get_data(as_text=True)
    assert _lang(html) == "en" and "Log out" in html and "Đăng xuất" not in html


def test_without_a_choice_the_pages_stay_vietnamese(app, org):
    browser = Browser(app.test_client())
    browser.login("handler")
    assert _lang(browser.get("/trang-chu").get_data(as_text=True)) == "vi"


def test_only_an_allowed_language_and_no_other_key_survive(app, org):
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["lang"], cookie["planted"] = "xx", "1"
    Browser(client).login("handler")
    with client.session_transaction() as cookie:
        assert "lang" not in cookie and "planted" not in cookie
    client = app.test_client()
    client.get("/ngon-ngu/en")
    with client.session_transaction() as cookie:
        cookie["planted"] = "1"
    Browser(client).login("handler")
    with client.session_transaction() as cookie:
        assert cookie.get("lang") == "en" and "planted" not in cookie
