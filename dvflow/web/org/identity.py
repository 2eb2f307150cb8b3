"""The logged-in user as flask-login sees it, with the roles per unit loaded once per request; and the session's
life on the server side.

A session cookie holds, beside flask-login's user id, the user's session version (`sv`), the instant of the login
(`auth_at`) and of the last request (`seen_at`), as Unix seconds of the app's clock (`now`). The user loader
accepts it only while the version is the user's current one (logout, deactivation and password changes raise it,
see services/org/sessions.py), the session has been used within SESSION_IDLE_MINUTES and is younger than
SESSION_MAX_HOURS. flask-login's "remember me" cookie, which dvflow never sets, could not pass either: it carries no
session version.
"""
from __future__ import annotations

from flask import current_app, session
from flask_login import UserMixin, login_user

from ...i18n import LANGUAGES
from ...models import User
from ...request import db_session, int_or_none, now
from ...services.org import access

SESSION_KEYS = ("sv", "auth_at", "seen_at")
SEEN_EVERY = 30  # seconds: the last-request instant is rewritten at most this often (the cookie changes with it)


class CurrentUser(UserMixin):
    def __init__(self, user: User):
        self.user = user
        self.id = user.id
        self.username = user.username
        self.full_name = user.full_name or user.username
        self.locale = user.locale
        self.roles_by_unit: dict[int, set[str]] = {}
        for m in access.memberships(db_session(), user):  # cached per process (dvflow.org_tree)
            self.roles_by_unit.setdefault(m.unit_id, set()).add(m.role)

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_active(self) -> bool:
        return self.user.active

    @property
    def roles(self) -> set[str]:
        return set().union(*self.roles_by_unit.values()) if self.roles_by_unit else set()


def _seconds() -> int:
    return int(now().timestamp())


def start_session(user: User) -> None:
    """Sign `user` in: a fresh cookie session bound to the user's current session version. Of the anonymous
    session only the page language chosen before login survives (and only a language the app has): it says
    nothing about who the user is, and losing it would turn the pages back to Vietnamese at login."""
    lang = session.get("lang")
    session.clear()
    if lang in LANGUAGES:
        session["lang"] = lang
    login_user(CurrentUser(user))
    at = _seconds()
    session.update(sv=user.session_version, auth_at=at, seen_at=at)


def adopt_version(version: int) -> None:
    """Keep this session alive after the user's own act raised their session version (a password change)."""
    session["sv"] = version


def load_user(user_id: str) -> CurrentUser | None:
    """flask-login's user loader: the user of a live session, or None (the session is then emptied)."""
    uid = int_or_none(user_id, minimum=0)
    user = access.load_user(db_session(), uid) if uid is not None else None
    if user is None or not user.active or session.get("sv") != user.session_version or _expired():
        _forget()
        return None
    at = _seconds()
    if at - session["seen_at"] >= SEEN_EVERY:
        session["seen_at"] = at
    return CurrentUser(user)


def _expired() -> bool:
    at, config = _seconds(), current_app.config
    auth_at, seen_at = session.get("auth_at"), session.get("seen_at")
    if not isinstance(auth_at, int) or not isinstance(seen_at, int):
        return True
    return (at - seen_at > int(config["SESSION_IDLE_MINUTES"]) * 60
            or at - auth_at > int(config["SESSION_MAX_HOURS"]) * 3600)


def _forget() -> None:
    for key in ("_user_id", "_fresh", "_id", *SESSION_KEYS):
        session.pop(key, None)


def no_store(response):
    """after_request of the login, account and administration pages: they show secrets (a new password, a TOTP
    secret, recovery codes, API tokens) that no cache, shared or the browser's own, may keep."""
    response.headers["Cache-Control"] = "no-store"
    return response
