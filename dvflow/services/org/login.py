"""Checking a login: the password (the same argon2 work whether or not the user exists), the per-account lockout
with a progressive delay, and the TOTP second factor's requirement.

Lockout: from the MAX_FAILURES-th failure in a row on, each failure locks the account for FIRST_LOCK, then twice as
long each time (1, 2, 4, ... minutes), at most MAX_LOCK. While locked, no login is accepted, not even with the right
password, and the attempt is not counted (it would lengthen the lock for nothing). A completed login resets the
counter: the password alone, or, for a user with a second factor, its right code.
The page shows one message for every refusal, so it never tells whether an account exists or is locked.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import security
from ...models import User

MAX_FAILURES = 5
FIRST_LOCK = timedelta(minutes=1)
MAX_LOCK = timedelta(minutes=60)


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == (username or "").strip().lower()))


def authenticate(session: Session, username: str, password: str, now: datetime) -> User | None:
    """The active, unlocked user whose password this is, or None. Always one argon2 verification."""
    user = find_user(session, username)
    usable = user is not None and user.active
    correct = security.verify_password(user.password_hash if usable else security.dummy_hash(), password)
    if not usable:
        return None
    if is_locked(user, now):
        return None
    if not correct:
        record_failure(user, now)
        return None
    if user.totp_secret is None:  # the login is complete; with a second factor, only its right code resets the
        record_success(user)      # count (else a right password between wrong codes would let codes be guessed)
    return user


def check_password(user: User, password: str, now: datetime) -> bool:
    """The signed-in user's own password, asked again before changing it: counted as a login's is (a wrong one
    counts toward the lock; while locked, even the right one is refused), so a session left open does not let its
    password be guessed without end."""
    if is_locked(user, now):
        return False
    if security.verify_password(user.password_hash, password or ""):
        return True
    record_failure(user, now)
    return False


def is_locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and now < user.locked_until


def lock_for(failures: int) -> timedelta | None:
    """How long the `failures`-th failure in a row locks the account (None: not yet)."""
    if failures < MAX_FAILURES:
        return None
    return min(MAX_LOCK, FIRST_LOCK * 2 ** min(failures - MAX_FAILURES, 16))


def record_failure(user: User, now: datetime) -> None:
    """A wrong password or second-factor code: count it, and lock the account from the MAX_FAILURES-th on."""
    user.failed_logins = (user.failed_logins or 0) + 1
    lock = lock_for(user.failed_logins)
    if lock is not None:
        user.locked_until = now + lock


def record_success(user: User) -> None:
    user.failed_logins = 0
    user.locked_until = None


def totp_required(user: User, roles: Iterable[str]) -> bool:
    """Whether the user holds a role that needs the TOTP second factor (TOTP_REQUIRED_ROLES)."""
    required = set(roles)
    return any(m.role in required for m in user.memberships)
