"""Issue #14 item 4: the TOTP second factor, required for heads and administrators (TOTP_REQUIRED_ROLES; the testing
configuration leaves it empty, so these tests set it): enrolment before anything else, the code at each login,
no code twice, single-use recovery codes, an administrator's reset."""
from __future__ import annotations

import re

import pyotp
import pytest

from .conftest import HOME, LOGIN, Browser, csrf_from, flashes, post_login

ENROL = "/tai-khoan/xac-thuc-hai-buoc"
SECOND = "/dang-nhap/ma-xac-thuc"


@pytest.fixture
def required(app):
    app.config["TOTP_REQUIRED_ROLES"] = ("head", "admin")


def _enrol(browser: Browser, clock) -> tuple[str, list[str]]:
    page = browser.get(ENROL).get_data(as_text=True)
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page).group(1)
    assert f"secret={secret}" in page and "<svg" in page  # the otpauth URI and its QR code
    done = browser.post(ENROL, {"code": pyotp.TOTP(secret).at(clock())}, token_from=ENROL)
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", done.get_data(as_text=True))
    return secret, codes


def _second_factor(client, code: str):
    page = client.get(SECOND).get_data(as_text=True)
    return client.post(SECOND, data={"code": code, "csrf_token": csrf_from(page)})


def test_a_head_enrols_before_anything_else(app, session, org, login, clock, required):
    head = login("head")
    assert head.get(HOME).headers["Location"] == ENROL
    assert head.get("/ho-so").headers["Location"] == ENROL
    wrong = head.post(ENROL, {"code": "000000"}, token_from=ENROL)
    assert wrong.status_code == 400 and "Mã xác thực không đúng" in wrong.get_data(as_text=True)
    secret, codes = _enrol(head, clock)
    assert len(codes) == 10 and len(set(codes)) == 10
    session.expire_all()
    assert org["users"]["head"].totp_secret == secret
    assert head.get(HOME).status_code == 200


def test_a_handler_is_not_asked(app, session, org, login, required):
    assert login("handler").get(HOME).status_code == 200


def test_login_asks_for_the_code_and_refuses_a_replay(app, session, org, login, clock, required):
    secret, _codes = _enrol(login("head"), clock)
    client = app.test_client()
    step1 = post_login(client, "head", next_="/ho-so")
    assert step1.headers["Location"] == SECOND
    assert client.get(HOME).headers["Location"].startswith(LOGIN)  # not signed in yet
    assert _second_factor(client, "123456").status_code == 200  # wrong code: the form again
    clock.advance(seconds=30)
    code = pyotp.TOTP(secret).at(clock())
    assert _second_factor(client, code).headers["Location"] == "/ho-so"
    assert client.get(HOME).status_code == 200
    replay = app.test_client()
    post_login(replay, "head")
    refused = _second_factor(replay, code)
    assert refused.status_code == 200 and flashes(refused.get_data(as_text=True))
    assert replay.get(HOME).headers["Location"].startswith(LOGIN)


def test_a_recovery_code_works_once(app, session, org, login, clock, required):
    _secret, codes = _enrol(login("head"), clock)
    first = app.test_client()
    post_login(first, "head")
    assert _second_factor(first, codes[0].upper()).status_code == 302
    again = app.test_client()
    post_login(again, "head")
    assert _second_factor(again, codes[0]).status_code == 200
    assert again.get(HOME).headers["Location"].startswith(LOGIN)


def test_wrong_codes_count_towards_the_lockout(app, session, org, login, clock, required):
    secret, _codes = _enrol(login("head"), clock)
    client = app.test_client()
    post_login(client, "head")
    for _ in range(5):
        _second_factor(client, "999999")
    clock.advance(seconds=30)
    assert _second_factor(client, pyotp.TOTP(secret).at(clock())).status_code == 200  # locked for a minute


def test_the_password_step_expires(app, session, org, login, clock, required):
    secret, _codes = _enrol(login("head"), clock)
    client = app.test_client()
    post_login(client, "head")
    token = csrf_from(client.get(SECOND).get_data(as_text=True))
    clock.advance(minutes=6)
    response = client.post(SECOND, data={"code": pyotp.TOTP(secret).at(clock()), "csrf_token": token})
    assert response.headers["Location"].startswith(LOGIN)
    assert client.get(HOME).headers["Location"].startswith(LOGIN)


def test_the_admin_resets_the_second_factor(app, session, org, login, clock, required):
    head = org["users"]["head"]
    _enrol(login("head"), clock)
    admin = login("admin")
    _enrol(admin, clock)
    page = f"/quan-tri/nguoi-dung/{head.id}"
    assert admin.post(f"{page}/dat-lai-xac-thuc", token_from=page).status_code == 302
    session.expire_all()
    assert head.totp_secret is None
    again = app.test_client()
    assert post_login(again, "head").headers["Location"] == HOME  # no code asked: enrolment comes next
    assert again.get(HOME).headers["Location"] == ENROL
