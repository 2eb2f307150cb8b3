"""One database session per request, committed once at the request boundary by the handlers."""
from __future__ import annotations

from flask import current_app, g, has_request_context, request
from sqlalchemy.orm import Session

READ_METHODS = ("GET", "HEAD", "OPTIONS")


def db_session() -> Session:
    """The request's session: read-only for GET and HEAD requests (they never write; on SQLite they then need not
    wait for the write lock), writing for the others."""
    if "db_session" not in g:
        read = has_request_context() and request.method in READ_METHODS
        g.db_session = current_app.extensions["dvflow.read_sessionmaker" if read else "dvflow.sessionmaker"]()
    return g.db_session


def writing_session() -> Session:
    """A session of its own that may write, for the rare write a read request makes (an API token's last use).
    The caller commits and closes it (use it as a context manager)."""
    return current_app.extensions["dvflow.sessionmaker"]()


def close_db_session(_exc: BaseException | None = None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.rollback()
        session.close()


def now():
    """The current instant, injectable through the NOW config key (a callable) for tests."""
    from .timeutil import utcnow

    return current_app.config.get("NOW", utcnow)()
