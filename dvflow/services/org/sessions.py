"""Ending a user's sessions on the server: every session cookie carries the user's session version, and the page
layer's user loader refuses a cookie whose version is not the user's current one. Raising the version therefore
ends every session of the user at once (logout, deactivation, a password change or reset); the API tokens are
revoked at the same time, so a stolen session cannot leave a token behind."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from ...models import User
from . import tokens


def end_all(session: Session, user: User, now: datetime) -> int:
    """End every session of `user` and revoke the user's API tokens; returns the new session version, which the
    caller's own session may adopt to stay signed in (a user who changes their own password)."""
    version = _raise_version(session, user)
    tokens.revoke_all(session, user, now)
    return version


def logout(session: Session, user: User) -> None:
    """Logout ends this session on the server: the cookie of this session (and of the user's other sessions) no
    longer opens anything, even if it was copied before. API tokens stay: the user created them on purpose."""
    _raise_version(session, user)


def _raise_version(session: Session, user: User) -> int:
    # in SQL, so two logouts at once both count
    session.execute(update(User).where(User.id == user.id)
                    .values(session_version=User.session_version + 1)
                    .execution_options(synchronize_session=False))
    session.refresh(user, ["session_version"])
    return user.session_version
