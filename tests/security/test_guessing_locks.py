"""Guessing ends in a lock on every door the password or the second factor opens: a right password between wrong
codes no longer resets the count, and the change-password form counts wrong current passwords (a review's
reproductions, 2026-12-06)."""
from __future__ import annotations

import pyotp
import pytest

from dvflow.services.org import login
from dvflow.services.org.login_locks import Origin

from .conftest import HOME, post_login
from .test_totp import SECOND, _enrol, _second_factor


def _address_locked(app, username: str, clock) -> bool:
    """Whether the test client's address (127.0.0.1) is locked out of the account (services.org.login_locks)."""
    origin = Origin("127.0.0.1", app.extensions["dvflow.login_locks"])
    return login.address_locked_until(username, clock(), origin) is not None


@pytest.fixture
def required(app):
    app.config["TOTP_REQUIRED_ROLES"] = ("head", "admin")


def test_the_password_step_does_not_reset_the_count_of_wrong_codes(app, session, org, login, clock, required):
    secret, _codes = _enrol(login("head"), clock)
    head = org["users"]["head"]
    client = app.test_client()
    assert post_login(client, "head").headers["Location"] == SECOND
    for _ in range(4):
        _second_factor(client, "000001")
    client = app.test_client()  # the right password again: it must not wipe the four wrong codes
    assert post_login(client, "head").headers["Location"] == SECOND
    _second_factor(client, "000001")
    session.expire_all()
    assert head.failed_logins == 5 and _address_locked(app, "head", clock)
    locked = post_login(app.test_client(), "head")  # locked: even the right password goes no further
    assert locked.headers.get("Location") != SECOND


def test_a_right_code_ends_the_count(app, session, org, login, clock, required):
    secret, _codes = _enrol(login("head"), clock)
    head = org["users"]["head"]
    client = app.test_client()
    post_login(client, "head")
    for _ in range(3):
        _second_factor(client, "000001")
    clock.advance(seconds=30)
    assert _second_factor(client, pyotp.TOTP(secret).at(clock())).headers["Location"] == HOME
    session.expire_all()
    assert head.failed_logins == 0


def test_wrong_current_passwords_on_the_change_form_lock_the_account(app, session, org, login, clock):
    victim = login("handler")

    def change(old):
        return victim.post("/tai-khoan/mat-khau", {"old_password": old, "new_password": "so-tay-xanh-2027",
                                                   "confirm": "so-tay-xanh-2027"}, token_from="/tai-khoan/mat-khau")

    for i in range(5):
        assert change(f"doan-mo-{i:04d}").status_code == 400
    session.expire_all()
    handler = org["users"]["handler"]
    assert handler.failed_logins == 5 and _address_locked(app, "handler", clock)
    assert change("password-123").status_code == 400  # locked: the right password is refused too
    session.expire_all()
    assert handler.password_hash and not handler.must_change_password
