"""The TOTP second factor (RFC 6238, pyotp): enrolment, checking a code at login, single-use recovery codes, and
an administrator's reset.

A code is accepted within one time step (30 s) either side of now, and never twice (the last accepted step is
kept). Recovery codes are random, shown once at enrolment and kept as sha256 (like API tokens: they are long random
strings, not passwords a person chose).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime

import pyotp
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ... import crypto
from ...models import RecoveryCode, User
from ..errors import ServiceError
from . import admin_log

ISSUER = "dvflow"
RECOVERY_CODES = 10
_CODE = re.compile(r"\d{6}")
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper and typed back


def new_secret() -> str:
    return pyotp.random_base32()


def enrolment_secret(user: User, nonce: str) -> str:
    """The secret offered while `user` enrols, derived from a random `nonce` the session cookie keeps and the hash
    key held outside the database and the cookie: the cookie is signed but readable, so it must not carry the
    secret itself, and the enrolment page (a GET) must not write one to the database. The same nonce gives the same
    secret until enrolment completes; a new session version (a password change) gives another."""
    digest = crypto.keyed_digest("totp-enrolment", f"{user.id}:{user.session_version}:{nonce}")
    return base64.b32encode(bytes.fromhex(digest)[:20]).decode("ascii")


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// address an authenticator app reads (from the QR code or typed in)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for offset in (0, -1, 1):
        if hmac.compare_digest(totp.at(now, counter_offset=offset), code):
            return current + offset
    return None


def enrol(session: Session, user: User, secret: str, code: str, now: datetime) -> list[str]:
    """Turn the second factor on with `secret` once the user proves their app holds it (a current code); returns
    the new recovery codes, to be shown once."""
    code = (code or "").strip().replace(" ", "")
    if not secret or not _CODE.fullmatch(code):
        raise ServiceError("Nhập mã 6 chữ số do ứng dụng xác thực hiển thị.", field="code")
    step = _matching_step(secret, code, now)
    if step is None:
        raise ServiceError("Mã xác thực không đúng hoặc đã hết hạn. Kiểm tra giờ của điện thoại và thử lại.",
                           field="code")
    user.totp_secret, user.totp_last_step = secret, step
    return new_recovery_codes(session, user)


def new_recovery_codes(session: Session, user: User) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODES new ones; returns them (never stored in clear)."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["-".join("".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(5)) for _ in range(2))
             for _ in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(c)) for c in codes)
    session.flush()
    return codes


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().lower().encode("utf-8")).hexdigest()


def verify(session: Session, user: User, code: str, now: datetime) -> bool:
    """Whether `code` is the user's current TOTP code (not used before) or one of their unused recovery codes,
    which it then uses up."""
    code = (code or "").strip().replace(" ", "")
    if user.totp_secret is None or not code or len(code) > 40:
        return False
    if _CODE.fullmatch(code):
        step = _matching_step(user.totp_secret, code, now)
        if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
            return False
        user.totp_last_step = step
        return True
    row = session.scalar(select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                    RecoveryCode.code_hash == _hash(code),
                                                    RecoveryCode.used_at.is_(None)))
    if row is None:
        return False
    row.used_at = now
    session.flush()
    return True


def recovery_codes_left(session: Session, user: User) -> int:
    return session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def reset(session: Session, user: User, *, actor: User | None = None) -> None:
    """An administrator turns the user's second factor off (a lost phone): the user enrols again at the next
    login, which their role requires before anything else."""
    user.totp_secret = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.flush()
    admin_log.record(session, actor, "second_factor_reset", user=user)
