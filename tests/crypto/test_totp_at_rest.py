"""A user's TOTP secret is a credential: stored encrypted with the identity keys, and rotated with them."""
from __future__ import annotations

import base64
from datetime import timedelta

import pyotp
from factories import NOW, make_org
from sqlalchemy import text

from config import TestingConfig
from dvflow import crypto
from dvflow.services.identity import rotation
from dvflow.services.org import totp

NEW = "new:" + base64.b64encode(b"n" * 32).decode()


def test_the_secret_is_encrypted_in_the_database_and_rotated(session):
    org = make_org(session, units=("province",), users=("chair",))
    user = org["users"]["chair"]
    secret = totp.new_secret()
    totp.enrol(session, user, secret, pyotp.TOTP(secret).at(NOW), NOW)
    session.flush()
    stored = session.execute(text("SELECT totp_secret FROM users WHERE id = :id"), {"id": user.id}).scalar_one()
    assert stored.startswith("e1:dev1:") and secret not in stored
    session.expire_all()
    assert user.totp_secret == secret and totp.verify(session, user, pyotp.TOTP(secret).at(NOW + timedelta(seconds=30)), NOW + timedelta(seconds=30))
    try:
        crypto.install_from({"IDENTITY_KEYS": f"{NEW},{TestingConfig.IDENTITY_KEYS}",
                             "IDENTITY_HASH_KEY": TestingConfig.IDENTITY_HASH_KEY})
        assert rotation.rotate(session).totp_secrets == 1
        stored = session.execute(text("SELECT totp_secret FROM users WHERE id = :id"), {"id": user.id}).scalar_one()
        assert stored.startswith("e1:new:")
        session.expire_all()
        assert user.totp_secret == secret
    finally:
        crypto.install_from({"IDENTITY_KEYS": TestingConfig.IDENTITY_KEYS,
                             "IDENTITY_HASH_KEY": TestingConfig.IDENTITY_HASH_KEY})
