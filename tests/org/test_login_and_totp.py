"""The login checks (services): lockout counter and lock, and the TOTP second factor with its recovery codes."""
from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from factories import NOW, PASSWORD
from sqlalchemy import select

from dvflow.models import RecoveryCode
from dvflow.services.errors import ServiceError
from dvflow.services.org import login, totp


def test_authenticate_counts_failures_and_locks(session, org):
    user = org["users"]["handler"]
    for _ in range(4):
        assert login.authenticate(session, "handler", "sai", NOW) is None
    assert user.locked_until is None
    assert login.authenticate(session, "HANDLER ", "sai", NOW) is None
    assert user.failed_logins == 5 and user.locked_until == NOW + timedelta(minutes=1)
    assert login.authenticate(session, "handler", PASSWORD, NOW + timedelta(seconds=59)) is None
    assert user.failed_logins == 5  # attempts during the lock are not counted
    assert login.authenticate(session, "handler", PASSWORD, NOW + timedelta(minutes=1)) is user
    assert user.failed_logins == 0 and user.locked_until is None


def test_unknown_and_inactive(session, org):
    org["users"]["handler"].active = False
    assert login.authenticate(session, "handler", PASSWORD, NOW) is None
    assert login.authenticate(session, "khong-co", PASSWORD, NOW) is None


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
