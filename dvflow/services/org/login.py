"""Checking a login: the password (the same argon2 work whether or not the user exists), the lockout with a
progressive delay, and the TOTP second factor's requirement.

Lockout, in two tiers:
- per (account, client address) (services.org.login_locks, in the limiter's storage): from the MAX_FAILURES-th
  failure in a row from one address on one account, each failure locks that address out of that account for
  FIRST_LOCK, then twice as long each time (1, 2, 4, ... minutes), at most MAX_LOCK;
- the whole account (the `users` row, so every node sees it): from the ACCOUNT_MAX_FAILURES-th counted failure in a
  row, the same progressive lock for everyone. Only each address's first MAX_FAILURES failures in a row (within a
  day: login_locks.COUNT_SECONDS) are counted there, an IPv6 address by its subscriber's /56 (Origin.network): a
  single stranger, however patient, adds at most MAX_FAILURES a day, and the owner's next login starts the count
  again, so they cannot keep the owner out (at worst, after ten days without a login, a few locks of at most
  MAX_LOCK a day), while guessing spread over ten addresses locks the account within the day.
We chose this over letting a right password and TOTP code through a locked account: that would tell a guesser, lock
or no lock, when the password is right, and accounts without a second factor would stay exposed.
While locked (either way), no login is accepted, not even with the right password, and the attempt is not counted
(it would lengthen the lock for nothing). A completed login from an address clears that address's count and the
account's: the password alone, or, for a user with a second factor, its right code.
The page shows one message for every refusal, so it never tells whether an account exists or is locked; a name
that is no account is counted per address like any other.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import security
from ...models import User
from .login_locks import Origin

MAX_FAILURES = 5
#: the whole account's threshold: ten addresses' worth of failures (MAX_FAILURES each) with no login in between
ACCOUNT_MAX_FAILURES = 50
FIRST_LOCK = timedelta(minutes=1)
MAX_LOCK = timedelta(minutes=60)


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == _name(username)))


def _name(username: str | None) -> str:
    """The name as accounts are kept. A NUL (which PostgreSQL text cannot hold: the lookup and the failure count
    would fail) becomes U+FFFD, which no account's name holds: the ordinary wrong-login answer, counted as any."""
    return (username or "").strip().lower().replace("\x00", "\ufffd")


def authenticate(session: Session, username: str, password: str, now: datetime, origin: Origin) -> User | None:
    """The active, unlocked user whose password this is, or None. Always one argon2 verification."""
    user = find_user(session, username)
    usable = user is not None and user.active
    correct = security.verify_password(user.password_hash if usable else security.dummy_hash(), password)
    if address_locked_until(username, now, origin) is not None:
        return None
    if not usable:
        origin.locks.record_failure(_name(username), origin.address, now, lock_for)  # counted as any name is
        return None
    if account_locked(user, now):
        return None
    if not correct:
        record_failure(user, now, origin)
        return None
    if user.totp_secret is None:  # the login is complete; with a second factor, only its right code resets the
        record_success(user, origin)  # count (else a right password between wrong codes would let codes be guessed)
    return user


def check_password(user: User, password: str, now: datetime, origin: Origin) -> bool:
    """The signed-in user's own password, asked again before changing it: counted as a login's is (a wrong one
    counts toward the lock; while locked, even the right one is refused), so a session left open does not let its
    password be guessed without end."""
    if is_locked(user, now, origin):
        return False
    if security.verify_password(user.password_hash, password or ""):
        return True
    record_failure(user, now, origin)
    return False


def account_locked(user: User, now: datetime) -> bool:
    """Whether the whole account is locked (for every address)."""
    return user.locked_until is not None and now < user.locked_until


def address_locked_until(username: str, now: datetime, origin: Origin) -> datetime | None:
    return origin.locks.locked_until(_name(username), origin.address, now, lock_for)


def is_locked(user: User, now: datetime, origin: Origin) -> bool:
    """Whether this attempt is refused unheard: the account is locked, or this address is, on this account."""
    return account_locked(user, now) or address_locked_until(user.username, now, origin) is not None


def lock_for(failures: int) -> timedelta | None:
    """How long the `failures`-th failure in a row from one address locks it out of the account (None: not yet)."""
    if failures < MAX_FAILURES:
        return None
    return min(MAX_LOCK, FIRST_LOCK * 2 ** min(failures - MAX_FAILURES, 16))


def account_lock_for(failures: int) -> timedelta | None:
    """How long the account's `failures`-th counted failure in a row locks the whole account (None: not yet)."""
    if failures < ACCOUNT_MAX_FAILURES:
        return None
    return lock_for(failures - ACCOUNT_MAX_FAILURES + MAX_FAILURES)


#: the key prefix of a subscriber's count on an account (the account-wide tier's), beside its addresses' counts
SUBSCRIBER = "subscriber:"


def _never(_failures: int) -> None:
    return None


def record_failure(user: User, now: datetime, origin: Origin) -> None:
    """A wrong password or second-factor code: count it for this address (which it may lock) and, while this
    address's subscriber (an IPv6 client's /56: one household's 256 /64s would otherwise be 256 strangers, enough
    to keep the account locked) is within its first MAX_FAILURES in a row, for the whole account."""
    in_a_row = origin.locks.record_failure(user.username, origin.address, now, lock_for)
    if origin.network != origin.address:
        in_a_row = origin.locks.record_failure(user.username, SUBSCRIBER + origin.network, now, _never)
    if in_a_row > MAX_FAILURES:
        return
    user.failed_logins = (user.failed_logins or 0) + 1
    lock = account_lock_for(user.failed_logins)
    if lock is not None:
        user.locked_until = now + lock


def record_success(user: User, origin: Origin) -> None:
    user.failed_logins = 0
    user.locked_until = None
    origin.locks.clear(user.username, origin.address)
    if origin.network != origin.address:
        origin.locks.clear(user.username, SUBSCRIBER + origin.network)


def totp_required(user: User, roles: Iterable[str]) -> bool:
    """Whether the user holds a role that needs the TOTP second factor (TOTP_REQUIRED_ROLES)."""
    required = set(roles)
    return any(m.role in required for m in user.memberships)
