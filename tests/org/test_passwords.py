"""The password policy: length, the common-password list, the username; and the temporary password of a reset."""
from __future__ import annotations

import pytest
from factories import NOW, PASSWORD

from dvflow.services.errors import ServiceError
from dvflow.services.org import accounts, passwords


@pytest.mark.parametrize("password, message", [
    ("aaaaaaaa", "ít nhất 12 ký tự"),
    ("ngan-qua-11", "ít nhất 12 ký tự"),
    ("qwerty123456", "quá phổ biến"),
    ("Q1W2E3R4T5Y6", "quá phổ biến"),  # compared in lower case
    ("aaaaaaaaaaaa", "quá phổ biến"),  # one character repeated
    ("nguyenvana-2027", "không được chứa tên đăng nhập"),
    ("x" * 201 + "yzw1", "tối đa 200 ký tự"),
])
def test_refused(password, message):
    with pytest.raises(ServiceError, match=message) as refused:
        passwords.check(password, "NguyenVanA")
    assert refused.value.field == "password"


def test_accepted():
    passwords.check("so-tay-xanh-2027", "nguyenvana")
    passwords.check(PASSWORD, "head")  # the tests' own password satisfies the policy
    passwords.check("la-ab-cd-ef-gh", "ab")  # a two-letter username is not looked for


def test_the_shipped_list():
    common = passwords.common_passwords()
    assert len(common) > 9000 and "123456" in common and "password" in common


def test_demo_password_satisfies_the_policy():
    from dvflow.cli.demo_data import DEMO_PASSWORD, USERS

    for username, _name, _roles in USERS:
        passwords.check(DEMO_PASSWORD, username)


def test_temporary_passwords_satisfy_the_policy():
    seen = {passwords.temporary_password_for("abcd") for _ in range(50)}
    assert len(seen) == 50
    for password in seen:
        passwords.check(password, "abcd")


def test_create_user_applies_the_policy(session):
    with pytest.raises(ServiceError, match="ít nhất 12 ký tự"):
        accounts.create_user(session, "moi", "ngan", now=NOW)
    with pytest.raises(ServiceError, match="Tên đăng nhập chỉ gồm"):
        accounts.create_user(session, "có dấu", "so-tay-xanh-2027", now=NOW)
    user = accounts.create_user(session, "moi", "so-tay-xanh-2027", now=NOW)
    assert user.password_changed_at == NOW and not user.must_change_password
