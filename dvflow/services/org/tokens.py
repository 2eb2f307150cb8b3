"""Personal API tokens: created (shown once), checked by hash, revoked."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session, joinedload

from ... import read_mostly
from ...models import ApiToken, User
from ...models.base import MAX_INT
from ..errors import NotFound, ServiceError

PREFIX = "dvf_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create_token(session: Session, user: User, name: str, now: datetime) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the token text, which is never stored and never shown again."""
    name = (name or "").strip()
    if not name:
        raise ServiceError("Nhập tên gợi nhớ cho mã truy cập.", field="name")
    if len(name) > 100 or "\x00" in name:
        raise ServiceError("Tên mã truy cập tối đa 100 ký tự.", field="name")
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=hash_token(raw), created_at=now)
    session.add(token)
    session.flush()
    return token, raw


#: the token, its user and the read-mostly token (dvflow.read_mostly) in the request's first statement
_BY_HASH = select(ApiToken, read_mostly.TOKEN_COLUMN).where(ApiToken.token_hash == bindparam("hash")).options(joinedload(ApiToken.user))


def authenticate(session: Session, raw: str) -> ApiToken | None:
    """The unrevoked token of an active user matching `raw`, or None (reads only)."""
    if not raw or len(raw) > 200 or "\x00" in raw:
        return None
    row = session.execute(_BY_HASH, {"hash": hash_token(raw)}).first()
    token = row[0] if row is not None else None
    if row is not None:
        read_mostly.seed(session, row[1])
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    return token


def due_for_touch(token: ApiToken, now: datetime, every: timedelta) -> bool:
    """Whether to note this use in last_used_at: at most once per `every`, so a busy client does not write on every
    request."""
    return token.last_used_at is None or now - token.last_used_at >= every


def touch(session: Session, token_id: int, now: datetime) -> None:
    """Note a use of the token (in the caller's writing transaction)."""
    session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())))


def revoke(session: Session, user: User, token_id: int, now: datetime) -> ApiToken:
    # an id beyond the column's range is no token's: looked up, it fails in the driver (a command's traceback)
    token = session.get(ApiToken, token_id) if 1 <= token_id <= MAX_INT else None
    if token is None or token.user_id != user.id:
        raise NotFound("Không tìm thấy mã truy cập.")
    if token.revoked_at is None:
        token.revoked_at = now
    session.flush()
    return token


def revoke_all(session: Session, user: User, now: datetime) -> int:
    """Revoke every unrevoked token of `user` (deactivation, a password change or reset); returns how many."""
    result = session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                             .values(revoked_at=now).execution_options(synchronize_session=False))
    return result.rowcount or 0


def user_by_username(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFound("Không có người dùng %(username)s.", username=username)
    return user
