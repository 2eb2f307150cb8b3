"""Bearer-token authentication for /api/v1. The session cookie is never looked at here."""
from __future__ import annotations

from datetime import timedelta

from flask import g, request

from ..request import db_session, now, rollback, writing_session
from ..services.org import tokens
from . import bp
from .errors import error_response

PUBLIC_ENDPOINTS = {"api.openapi_json", "api.docs_page", "api.public_track", "api.public_rate",
                    "api.public_reception_schedule"}
TOUCH_EVERY = timedelta(minutes=1)


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


@bp.before_request
def _authenticate():
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    raw = bearer_token()
    token = tokens.authenticate(db_session(), raw) if raw else None
    if token is None:
        rollback()
        message = ("Thiếu mã truy cập API (Authorization: Bearer …)." if raw is None
                   else "Mã truy cập API không hợp lệ hoặc đã bị thu hồi.")
        response, code = error_response(401, message)
        response.headers["WWW-Authenticate"] = 'Bearer realm="dvflow"'
        return response, code
    at = now()
    if tokens.due_for_touch(token, at, TOUCH_EVERY):
        db_session().commit()  # end the lookup's transaction first: on SQLite it may hold the write lock
        with writing_session() as session:  # a transaction of its own, also under a read-only GET
            tokens.touch(session, token.id, at)
            session.commit()
    g.api_user = token.user
    return None


def api_user():
    return g.api_user
