"""One database session per request, committed once at the request boundary by the handlers."""
from __future__ import annotations

from flask import current_app, g
from sqlalchemy.orm import Session


def db_session() -> Session:
    if "db_session" not in g:
        g.db_session = current_app.extensions["dvflow.sessionmaker"]()
    return g.db_session


def close_db_session(_exc: BaseException | None = None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.rollback()
        session.close()


def now():
    """The current instant, injectable through the NOW config key (a callable) for tests."""
    from ..timeutil import utcnow

    return current_app.config.get("NOW", utcnow)()
