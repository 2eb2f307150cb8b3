"""The password policy for every new or changed password, and setting a password.

A password has at least MIN_LENGTH characters, is not one of the 10,000 most common passwords and does not contain
the username. The list (common-passwords.txt.gz beside this file) is the first 10,000 lines of Django 5.2's
`django/contrib/auth/common-passwords.txt.gz` (BSD licence), itself Royce Williams' list of the most common
passwords found in breaches, most common first; it is compared in lower case.
"""
from __future__ import annotations

import gzip
import secrets
from datetime import datetime
from functools import cache
from pathlib import Path

from ...models import User
from ...security import hash_password
from ..errors import ServiceError

MIN_LENGTH = 12
MAX_LENGTH = 200  # argon2 hashes anything, but a megabyte password is an attack, not a password
COMMON_LIST = Path(__file__).with_name("common-passwords.txt.gz")


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_LIST, "rt", encoding="utf-8") as f:
        return frozenset(line.strip().lower() for line in f if line.strip())


def check(password: str, username: str, field: str = "password") -> None:
    """Raise ServiceError (naming `field`) unless `password` satisfies the policy for the user `username`."""
    if len(password) < MIN_LENGTH:
        raise ServiceError("Mật khẩu phải có ít nhất %(min)s ký tự.", field=field, min=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise ServiceError("Mật khẩu tối đa %(max)s ký tự.", field=field, max=MAX_LENGTH)
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) < 4:
        raise ServiceError("Mật khẩu quá phổ biến, dễ đoán; hãy chọn mật khẩu khác.", field=field)
    name = username.strip().lower()
    if len(name) >= 3 and name in lowered:  # a one- or two-letter name is in every other password
        raise ServiceError("Mật khẩu không được chứa tên đăng nhập.", field=field)


def set_password(user: User, password: str, now: datetime, *, must_change: bool = False) -> None:
    """Give `user` a new password (checked against the policy). Every session of the user ends and every API
    token is revoked by the caller (sessions.end_all): a new password is how a user takes an account back."""
    check(password, user.username)
    user.password_hash = hash_password(password)
    user.password_changed_at = now
    user.must_change_password = must_change


def temporary_password() -> str:
    """A random password an administrator hands over after a reset (the user changes it at once): 4 groups of 4
    letters and digits that cannot be misread."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


def temporary_password_for(username: str) -> str:
    """A temporary password that satisfies the policy for `username` (a random one that happens to contain the
    username is drawn again)."""
    while True:
        candidate = temporary_password()
        try:
            check(candidate, username)
        except ServiceError:
            continue
        return candidate
