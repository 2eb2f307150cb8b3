"""The login checks (services): the per-address and whole-account lockout, and the TOTP second factor with its recovery codes."""
from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from factories import NOW, PASSWORD
from sqlalchemy import select

from dvflow.models import RecoveryCode
from dvflow.services.errors import ServiceError
from dvflow.services.org import login, totp
from dvflow.services.org.login_locks import AddressLocks, Origin


def test_failures_lock_the_address_not_the_account(session, org, locks, origin):
    """Five wrong passwords from one address lock that address out of the account (1 minute, then longer); the
    owner signs in from another address meanwhile (a stranger knowing a username cannot keep its owner out)."""
    user = org["users"]["handler"]
    for _ in range(4):
        assert login.authenticate(session, "handler", "sai", NOW, origin) is None
    assert login.address_locked_until("handler", NOW, origin) is None
    assert login.authenticate(session, "HANDLER ", "sai", NOW, origin) is None
    assert login.address_locked_until("handler", NOW, origin) == NOW + timedelta(minutes=1)
    assert user.failed_logins == 5 and user.locked_until is None  # the whole account is not locked
    assert login.authenticate(session, "handler", PASSWORD, NOW + timedelta(seconds=59), origin) is None
    assert locks.failures("handler", origin.address) == 5  # attempts during the lock are not counted
    assert login.authenticate(session, "handler", PASSWORD, NOW, Origin("203.0.113.9", locks)) is user
    assert user.failed_logins == 0
    assert login.authenticate(session, "handler", PASSWORD, NOW + timedelta(seconds=59), origin) is None
    assert login.authenticate(session, "handler", PASSWORD, NOW + timedelta(minutes=1), origin) is user
    assert locks.failures("handler", origin.address) == 0


def test_one_address_adds_at_most_five_failures_to_the_account(session, org, origin):
    user = org["users"]["handler"]
    at = NOW
    for _ in range(30):  # a patient stranger: one more wrong password each time their address's lock runs out
        login.authenticate(session, "handler", "sai", at, origin)
        at = (login.address_locked_until("handler", at, origin) or at) + timedelta(seconds=1)
    assert user.failed_logins == login.MAX_FAILURES and user.locked_until is None
    assert login.address_locked_until("handler", at - timedelta(seconds=2), origin) is not None


def test_guessing_from_many_addresses_locks_the_whole_account(session, org, locks):
    user = org["users"]["handler"]
    for i in range(login.ACCOUNT_MAX_FAILURES // login.MAX_FAILURES):
        client = Origin(f"203.0.113.{i}", locks)
        for _ in range(login.MAX_FAILURES + 2):  # the two after the address's lock are refused unheard
            assert login.authenticate(session, "handler", "sai", NOW, client) is None
    assert user.failed_logins == login.ACCOUNT_MAX_FAILURES and user.locked_until == NOW + timedelta(minutes=1)
    fresh = Origin("198.51.100.200", locks)
    assert login.authenticate(session, "handler", PASSWORD, NOW + timedelta(seconds=59), fresh) is None
    assert login.authenticate(session, "handler", PASSWORD, NOW + timedelta(minutes=1), fresh) is user
    assert user.failed_logins == 0 and user.locked_until is None


def test_account_lock_delay():
    assert login.account_lock_for(login.ACCOUNT_MAX_FAILURES - 1) is None
    assert [login.account_lock_for(login.ACCOUNT_MAX_FAILURES + n) for n in range(3)] == [
        timedelta(minutes=m) for m in (1, 2, 4)]


def test_unknown_and_inactive(session, org, origin):
    org["users"]["handler"].active = False
    assert login.authenticate(session, "handler", PASSWORD, NOW, origin) is None
    assert login.authenticate(session, "khong-co", PASSWORD, NOW, origin) is None


def test_a_name_that_is_no_account_is_locked_per_address_like_any_other(session, org, origin):
    """No enumeration by the lock's behaviour: an unknown name is counted and locked per address as an account is."""
    for _ in range(login.MAX_FAILURES):
        assert login.authenticate(session, "khong-co", "sai", NOW, origin) is None
    assert login.address_locked_until("khong-co", NOW, origin) == NOW + timedelta(minutes=1)


class _DeadStorage:
    """A storage whose every call fails (Redis gone)."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("Redis is gone")
        return fail


def test_the_locks_count_in_memory_while_their_storage_fails(session, org, caplog):
    client = Origin("198.51.100.1", AddressLocks(_DeadStorage()))
    for _ in range(login.MAX_FAILURES):
        assert login.authenticate(session, "handler", "sai", NOW, client) is None
    assert login.address_locked_until("handler", NOW, client) == NOW + timedelta(minutes=1)
    assert "login lock storage unreachable" in caplog.text


def test_totp_required_by_role(org):
    assert login.totp_required(org["users"]["head"], ("head", "admin"))
    assert not login.totp_required(org["users"]["handler"], ("head", "admin"))
    assert not login.totp_required(org["users"]["head"], ())


def test_enrol_verify_and_no_replay(session, org):
    user = org["users"]["head"]
    secret = totp.new_secret()
    assert f"secret={secret}" in totp.provisioning_uri(secret, "head") and "issuer=dvflow" in totp.provisioning_uri(
        secret, "head")
    with pytest.raises(ServiceError) as refused:
        totp.enrol(session, user, secret, "12345", NOW)
    assert refused.value.field == "code"
    codes = totp.enrol(session, user, secret, pyotp.TOTP(secret).at(NOW), NOW)
    assert len(codes) == 10 and totp.recovery_codes_left(session, user) == 10
    stored = session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert not set(codes) & set(stored)  # kept hashed
    later = NOW + timedelta(seconds=30)
    code = pyotp.TOTP(secret).at(later)
    assert totp.verify(session, user, code, later)
    assert not totp.verify(session, user, code, later)  # never twice
    assert not totp.verify(session, user, pyotp.TOTP(secret).at(NOW + timedelta(minutes=5)), later)  # too far
    assert totp.verify(session, user, codes[3], later)
    assert not totp.verify(session, user, codes[3], later)
    assert totp.recovery_codes_left(session, user) == 9


def test_reset(session, org):
    user = org["users"]["head"]
    secret = totp.new_secret()
    totp.enrol(session, user, secret, pyotp.TOTP(secret).at(NOW), NOW)
    totp.reset(session, user)
    assert user.totp_secret is None and totp.recovery_codes_left(session, user) == 0
    assert not totp.verify(session, user, pyotp.TOTP(secret).at(NOW + timedelta(seconds=30)), NOW)


def test_a_name_holding_nul_is_the_ordinary_wrong_login(session, org, origin):
    """PostgreSQL text cannot hold NUL: the lookup failed with a 500 (the login page now refuses such a field before
    the service runs; the service still answers any caller as it does for a name no account has)."""
    assert login.authenticate(session, "hand\x00ler", PASSWORD, NOW, origin) is None
    assert login.find_user(session, "hand\x00ler") is None
